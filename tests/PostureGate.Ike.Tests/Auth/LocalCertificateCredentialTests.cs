using System.Security.Cryptography;
using PostureGate.Ike.Auth;
using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Ike.Tests.Auth;

public class LocalCertificateCredentialTests
{
    private static readonly byte[] Octets = [1, 2, 3, 4];

    [Fact]
    public void CertPayloads_EndEntityFirst_ThenIntermediates()
    {
        var root = TestPki.Ca("Root");
        var issuing = TestPki.Ca("Issuing", issuer: root);
        var leaf = TestPki.Issue(issuing, new TestPki.Leaf());
        var payloads = new LocalCertificateCredential(leaf, [issuing]).CertPayloads();

        Assert.Equal([leaf.RawData, issuing.RawData], payloads.Select(p => p.Data));
        Assert.All(payloads, p => Assert.Equal(CertEncoding.X509Signature, p.Encoding));
    }

    // What a native client checks: the ID we state is a SAN of the certificate.
    [Fact]
    public void DefaultIdentity_IsTheFirstDnsName_ElseTheSubjectDn()
    {
        var ca = TestPki.Ca("Id CA");
        Assert.Equal("FQDN vpn.example.com", new LocalCertificateCredential(TestPki.Issue(ca, new TestPki.Leaf { Dns = ["vpn.example.com", "b.example.com"] })).DefaultIdentity.ToString());
        var dnOnly = TestPki.Issue(ca, new TestPki.Leaf { Subject = "CN=gw", Dns = [], Ips = [System.Net.IPAddress.Parse("192.0.2.1")] });
        var id = new LocalCertificateCredential(dnOnly).DefaultIdentity;
        Assert.Equal(IdType.DerAsn1Dn, id.Type);
        Assert.True(CertificateIdentityMatch.Matches(id.Type, id.Data, dnOnly));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Sign_VerifiesWithTheCertificate(bool rsa)
    {
        var leaf = TestPki.Issue(TestPki.Ca("Sign CA"), new TestPki.Leaf(), rsa ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP384));
        var credential = new LocalCertificateCredential(leaf);

        var digital = credential.Sign(Octets, SignatureHashAlgorithms.Supported)!;
        var legacy = credential.Sign(Octets, [])!;

        Assert.Equal(AuthMethod.DigitalSignature, digital.Method);
        Assert.Equal(rsa ? AuthMethod.RsaDigitalSignature : AuthMethod.EcdsaSha384P384, legacy.Method);
        Assert.True(SignatureAuth.Verify(digital, leaf, Octets, out _));
        Assert.True(SignatureAuth.Verify(legacy, leaf, Octets, out _));
    }

    [Fact]
    public void CertificateWithoutPrivateKey_IsRefused()
    {
        var leaf = TestPki.Issue(TestPki.Ca("Key CA"), new TestPki.Leaf());
        using var publicOnly = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(leaf.RawData);
        Assert.Throws<ArgumentException>(() => new LocalCertificateCredential(publicOnly));
    }
}
