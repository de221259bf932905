// `pgate cert profile apple`: a configuration profile (.mobileconfig, an XML property list)
// with an IKEv2 VPN payload (com.apple.vpn.managed, VPNType IKEv2) for EAP user login
// against a gateway that signs with its certificate (AuthenticationMethod None with
// ExtendedAuthEnabled), and, when given, the CA as a com.apple.security.root payload.
// Keys and values: Apple's "VPN" and "Certificate Root" payload references.
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using PostureGate.Proposals;

namespace PostureGate.Cli.Commands.Cert;

internal static class AppleProfile
{
    /// <summary>The profile, or why the gateway's proposals leave Apple nothing to choose.</summary>
    public static bool TryBuild(ClientTunnel t, string gateway, string connectionName, X509Certificate2? ca, out string? xml, out string error)
    {
        xml = null;
        var ike = t.Phase1.Proposals.Select(s => (Suite: s, Words: Words(s, phase1: true))).FirstOrDefault(x => x.Words is not null);
        if (ike.Words is null)
        {
            error = $"phase1-interface '{t.Phase1.Name}' offers no proposal macOS/iOS can do (AES-128/256 CBC or GCM, ChaCha20-Poly1305)";
            return Fail(out xml);
        }
        var esp = t.Phase2.Proposals.Select(s => (Suite: s, Words: Words(s, phase1: false))).FirstOrDefault(x => x.Words is not null);
        if (esp.Words is null)
        {
            error = $"phase2-interface '{t.Phase2.Name}' offers no proposal macOS/iOS can do (AES-128/256 CBC or GCM, ChaCha20-Poly1305)";
            return Fail(out xml);
        }
        // Every DH group PostureGate implements (14-16, 19-21, 31) is one Apple lists.
        var ikeGroup = t.Phase1.DhGroups[0];
        var childGroup = t.Phase2.Pfs ? t.Phase2.DhGroups[0] : ikeGroup;
        var id = Guid.NewGuid();
        var ikev2 = new List<XElement>
        {
            Key("RemoteAddress"), Str(gateway),
            Key("RemoteIdentifier"), Str(gateway),
            Key("LocalIdentifier"), Str(""),
            // The gateway signs; the user logs in with EAP (username and password asked on connect).
            Key("AuthenticationMethod"), Str("None"),
            Key("ExtendedAuthEnabled"), Int(1),
            Key("ServerCertificateCommonName"), Str(gateway),
        };
        if (ca is not null)
            ikev2.AddRange([Key("ServerCertificateIssuerCommonName"), Str(ca.GetNameInfo(X509NameType.SimpleName, forIssuer: false))]);
        ikev2.AddRange(
        [
            Key("EnablePFS"), t.Phase2.Pfs ? new XElement("true") : new XElement("false"),
            Key("DeadPeerDetectionRate"), Str("Medium"),
            Key("IKESecurityAssociationParameters"), Dict(Key("EncryptionAlgorithm"), Str(ike.Words.Value.Encryption),
                Key("IntegrityAlgorithm"), Str(ike.Words.Value.Integrity), Key("DiffieHellmanGroup"), Int((ushort)ikeGroup),
                Key("LifeTimeInMinutes"), Int((int)Math.Max(10, t.Phase1.KeyLifetime.TotalMinutes))),
            Key("ChildSecurityAssociationParameters"), Dict(Key("EncryptionAlgorithm"), Str(esp.Words.Value.Encryption),
                Key("IntegrityAlgorithm"), Str(esp.Words.Value.Integrity), Key("DiffieHellmanGroup"), Int((ushort)childGroup),
                Key("LifeTimeInMinutes"), Int((int)Math.Max(10, t.Phase2.KeyLifetime.TotalMinutes))),
        ]);
        var payloads = new List<XElement>
        {
            Dict(
                Key("PayloadType"), Str("com.apple.vpn.managed"),
                Key("PayloadVersion"), Int(1),
                Key("PayloadIdentifier"), Str($"posturegate.vpn.{id}"),
                Key("PayloadUUID"), Str(Guid.NewGuid().ToString().ToUpperInvariant()),
                Key("PayloadDisplayName"), Str(connectionName),
                Key("UserDefinedName"), Str(connectionName),
                Key("VPNType"), Str("IKEv2"),
                Key("IKEv2"), Dict([.. ikev2])),
        };
        if (ca is not null)
        {
            payloads.Add(Dict(
                Key("PayloadType"), Str("com.apple.security.root"),
                Key("PayloadVersion"), Int(1),
                Key("PayloadIdentifier"), Str($"posturegate.ca.{id}"),
                Key("PayloadUUID"), Str(Guid.NewGuid().ToString().ToUpperInvariant()),
                Key("PayloadDisplayName"), Str(ca.GetNameInfo(X509NameType.SimpleName, forIssuer: false)),
                Key("PayloadContent"), new XElement("data", Convert.ToBase64String(ca.RawData))));
        }
        var root = Dict(
            Key("PayloadType"), Str("Configuration"),
            Key("PayloadVersion"), Int(1),
            Key("PayloadIdentifier"), Str($"posturegate.{id}"),
            Key("PayloadUUID"), Str(id.ToString().ToUpperInvariant()),
            Key("PayloadDisplayName"), Str(connectionName),
            Key("PayloadDescription"), Str($"IKEv2 VPN to {gateway} (phase1-interface '{t.Phase1.Name}': {ike.Suite.Name}, DH {(ushort)ikeGroup}; ESP {esp.Suite.Name})"),
            Key("PayloadContent"), new XElement("array", payloads));
        var doc = new XDocument(new XDeclaration("1.0", "UTF-8", null),
            new XDocumentType("plist", "-//Apple//DTD PLIST 1.0//EN", "http://www.apple.com/DTDs/PropertyList-1.0.dtd", null),
            new XElement("plist", new XAttribute("version", "1.0"), root));
        using var writer = new Utf8StringWriter();
        doc.Save(writer);
        xml = writer.ToString() + "\n";
        error = "";
        return true;
    }

    /// <summary>Apple's words for a suite: EncryptionAlgorithm and IntegrityAlgorithm (the PRF for AEAD in IKE).</summary>
    private static (string Encryption, string Integrity)? Words(CipherSuite s, bool phase1)
    {
        var encryption = (s.Encryption, s.KeyBits) switch
        {
            (EncryptionAlgorithm.AesCbc, 128) => "AES-128",
            (EncryptionAlgorithm.AesCbc, 256) => "AES-256",
            (EncryptionAlgorithm.AesGcm16, 128) => "AES-128-GCM",
            (EncryptionAlgorithm.AesGcm16, 256) => "AES-256-GCM",
            (EncryptionAlgorithm.ChaCha20Poly1305, _) => "ChaCha20Poly1305",
            _ => null,
        };
        string? integrity;
        if (!s.IsAead)
        {
            integrity = s.Integrity switch
            {
                IntegrityAlgorithm.HmacSha1_96 => "SHA1-96",
                IntegrityAlgorithm.HmacSha2_256_128 => "SHA2-256",
                IntegrityAlgorithm.HmacSha2_384_192 => "SHA2-384",
                IntegrityAlgorithm.HmacSha2_512_256 => "SHA2-512",
                _ => null,
            };
        }
        else
        {
            integrity = !phase1 ? "SHA2-256" : s.Prf switch
            {
                PrfAlgorithm.HmacSha1 => "SHA1-96",
                PrfAlgorithm.HmacSha2_256 => "SHA2-256",
                PrfAlgorithm.HmacSha2_384 => "SHA2-384",
                PrfAlgorithm.HmacSha2_512 => "SHA2-512",
                _ => null,
            };
        }
        return encryption is null || integrity is null ? null : (encryption, integrity);
    }

    private static bool Fail(out string? xml)
    {
        xml = null;
        return false;
    }

    private static XElement Key(string k) => new("key", k);

    private static XElement Str(string s) => new("string", s);

    private static XElement Int(int i) => new("integer", i.ToString(CultureInfo.InvariantCulture));

    private static XElement Dict(params XElement[] items) => new("dict", items);

    private sealed class Utf8StringWriter : StringWriter
    {
        public Utf8StringWriter() : base(CultureInfo.InvariantCulture) { }

        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;
    }
}
