// authmethod signature, certificate and user peer mapped onto the IKE settings: the gateway's signing
// credentials with the CAs they chain to, its ID from the certificate, and the peer certificate policy of eap-cert-auth.
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PostureGate.Config;
using PostureGate.Gateway.Composition;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Testing;

namespace PostureGate.Gateway.Tests.Composition;

public class IkeSettingsBuilderCertificateTests
{
    private static readonly (string Ca, string Cert, string Key) Pki = MakePki();

    private static (string, string, string) MakePki()
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caReq = new CertificateRequest("CN=Devices CA", caKey, HashAlgorithmName.SHA256);
        caReq.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caReq.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var ca = caReq.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest("CN=gw", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("vpn.example.com");
        req.CertificateExtensions.Add(san.Build());
        using var cert = req.Create(ca, now.AddDays(-1), now.AddDays(90), [0x11, 0x22]);
        return (ca.ExportCertificatePem(), cert.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    private static string Q(string pem) => SigningGatewayText.Pem(pem);

    /// <param name="users">`authusrgrp "users"` (EAP-MSCHAPv2); EAP-TLS asks no password and takes none.</param>
    private static Config.Model.GatewayConfig Load(string phase1, bool users = true)
    {
        var group = users ? "\n                    set authusrgrp \"users\"" : "";
        var text = $$"""
            {{SigningGatewayText.Port1}}
            config vpn certificate ca
                edit "devices-ca"
                    set ca {{Q(Pki.Ca)}}
                next
            end
            config vpn certificate local
                edit "gw"
                    set certificate {{Q(Pki.Cert)}}
                    set private-key {{Q(Pki.Key)}}
                next
            end
            {{SigningGatewayText.Users}}
            config user peer
                edit "device"
                    set ca "devices-ca"
                    set cn "Device-1"
                    set cn-type FQDN
                next
            end
            config user group
                edit "users"
                    set member "alice"
                next
            end
            config vpn ipsec phase1-interface
                edit "dialup"
                    set type dynamic
                    set interface "port1"
                    set ike-version 2
                    set authmethod signature
                    set certificate "gw"
                    set eap enable{{group}}{{phase1}}
                next
            end
            """;
        var r = ConfigLoader.Parse(text, "cert.conf");
        Assert.True(r.Config is not null && !r.Diagnostics.Any(d => d.IsError), string.Join('\n', r.Diagnostics));
        return r.Config!;
    }

    [Fact]
    public void SigningGateway_GetsItsCredential_AndNamesItselfByTheCertificatesDnsName()
    {
        var dialup = IkeSettingsBuilder.Build(Load("\n            set peertype any")).Single();

        var credential = Assert.Single(dialup.LocalCertificates);
        Assert.NotNull(credential.Sign([1, 2, 3], SignatureHashAlgorithms.Supported));
        // No localid: each SA names itself as the certificate it sends does (the one a CERTREQ chose).
        Assert.Null(dialup.LocalId);
        Assert.Equal("FQDN vpn.example.com", credential.DefaultIdentity.ToString());
        Assert.Null(dialup.PeerCertificates);
        Assert.True(dialup.EapEnabled);
    }

    // RFC 7296 §3.7: the configured CA the certificate chains to is what a peer's CERTREQ names.
    [Fact]
    public void SigningCredential_KnowsTheConfiguredCaItChainsTo()
    {
        var credential = IkeSettingsBuilder.Build(Load("\n            set peertype any")).Single().LocalCertificates.Single();

        using var ca = X509Certificate2.CreateFromPem(Pki.Ca);
        Assert.Equal(SHA1.HashData(ca.PublicKey.ExportSubjectPublicKeyInfo()), Assert.Single(credential.IssuerKeyHashes));
    }

    [Fact]
    public void ExplicitLocalId_IsKept() =>
        Assert.Equal("FQDN gw.example.net", IkeSettingsBuilder.Build(Load("\n            set peertype any\n            set localid \"gw.example.net\"")).Single().LocalId!.ToString());

    [Fact]
    public void EapCertAuth_GivesThePeerCertificatePolicyOfTheUserPeer()
    {
        var dialup = IkeSettingsBuilder.Build(Load("\n            set peertype peer\n            set peer \"device\"\n            set eap-cert-auth enable")).Single();

        var policy = dialup.PeerCertificates!;
        using var ca = X509Certificate2.CreateFromPem(Pki.Ca);
        Assert.Equal(ca.RawData, Assert.Single(policy.TrustedAuthorities).RawData);
        Assert.Equal("Device-1", policy.RequiredCommonName);
        Assert.True(policy.CommonNameIgnoresCase);
        Assert.Empty(policy.Revocations);
    }

    [Fact]
    public void EapMethodTls_SelectsEapTlsWithThePeerCertificatePolicy()
    {
        var dialup = IkeSettingsBuilder.Build(Load("\n            set peertype peer\n            set peer \"device\"\n            set eap-method tls", users: false)).Single();

        Assert.True(dialup.EapTls);
        Assert.True(dialup.EapEnabled);
        Assert.Equal("Device-1", dialup.PeerCertificates!.RequiredCommonName);
        Assert.NotEmpty(dialup.LocalCertificates);
    }

    /// <summary>Issue 10: the device certificates the EMSes revoked are consulted by every phase1's peer check.</summary>
    [Fact]
    public void TheEmsRevocations_AreConsultedForThePeersCertificate()
    {
        using var ca = X509Certificate2.CreateFromPem(Pki.Ca);
        using var device = X509Certificate2.CreateFromPem(Pki.Cert);
        var connector = new Posture.EmsConnector(new Posture.EmsConnectorSettings
        {
            Id = 1, Name = "ems", Server = "127.0.0.1", Port = 9, CertificateFingerprint = "00", ApiKey = "k",
        }, new Posture.TagStore().For(1), new Posture.PinnedKeyStore());
        var revocations = new EmsCertificateRevocations([connector]);

        var dialup = IkeSettingsBuilder.Build(Load("\n            set peertype peer\n            set peer \"device\"\n            set eap-cert-auth enable"), revocations).Single();

        var check = Assert.Single(dialup.PeerCertificates!.Revocations);
        Assert.False(check.IsRevoked(device, ca));
        var caKey = Convert.ToHexStringLower(SHA256.HashData(ca.PublicKey.ExportSubjectPublicKeyInfo()));
        connector.Revocations.Replace(caKey, [new Posture.RevokedCertificate(device.SerialNumber, "6108A9179A5C40D7BD57504E15114C1F")]);
        Assert.True(check.IsRevoked(device, ca));
        // The same serial under another issuer is another certificate (RFC 5280 §5.3).
        Assert.False(check.IsRevoked(device, device));
    }
}
