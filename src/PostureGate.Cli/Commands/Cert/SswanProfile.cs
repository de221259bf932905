// `pgate cert profile sswan`: a VPN profile for the strongSwan VPN Client for Android
// (JSON, media type application/vnd.strongswan.profile; fields per strongSwan's
// "VPN Profile Import for the Android VPN Client": uuid, name, type, remote.addr,
// remote.id, remote.cert, ike-proposal, esp-proposal). The proposals are strongSwan
// algorithm keywords taken from the gateway's phase1/phase2, so the app offers only
// what the gateway accepts.
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using PostureGate.Proposals;

namespace PostureGate.Cli.Commands.Cert;

internal static class SswanProfile
{
    public static string Build(ClientTunnel t, string gateway, string connectionName, X509Certificate2? ca)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("uuid", Guid.NewGuid().ToString());
            w.WriteString("name", connectionName);
            // ikev2-eap: EAP username/password; ikev2-cert-eap: a certificate round (the device certificate,
            // chosen in the app), then EAP. The server always proves itself with a certificate.
            w.WriteString("type", t.Phase1.EapCertAuth ? "ikev2-cert-eap" : "ikev2-eap");
            w.WriteStartObject("remote");
            w.WriteString("addr", gateway);
            w.WriteString("id", gateway);
            if (ca is not null)
                w.WriteString("cert", Convert.ToBase64String(ca.RawData));
            w.WriteEndObject();
            w.WriteString("ike-proposal", IkeProposal(t));
            w.WriteString("esp-proposal", EspProposal(t));
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>
    /// strongSwan proposal syntax: the algorithms of the phase1's suites of the same kind as its
    /// first (AEAD or not: one strongSwan proposal holds one kind), then its DH groups.
    /// </summary>
    public static string IkeProposal(ClientTunnel t)
    {
        var words = new List<string>();
        foreach (var s in SameKindAsFirst(t.Phase1.Proposals))
        {
            Add(words, Encryption(s));
            if (!s.IsAead)
                Add(words, Integrity(s.Integrity));
            Add(words, Prf(s.Prf));
        }
        foreach (var g in t.Phase1.DhGroups)
            Add(words, FortiOsProposals.DhGroupName(g));
        return string.Join('-', words);
    }

    public static string EspProposal(ClientTunnel t)
    {
        var words = new List<string>();
        foreach (var s in SameKindAsFirst(t.Phase2.Proposals))
        {
            Add(words, Encryption(s));
            if (!s.IsAead)
                Add(words, Integrity(s.Integrity));
        }
        if (t.Phase2.Pfs)
        {
            foreach (var g in t.Phase2.DhGroups)
                Add(words, FortiOsProposals.DhGroupName(g));
        }
        return string.Join('-', words);
    }

    private static IEnumerable<CipherSuite> SameKindAsFirst(IReadOnlyList<CipherSuite> suites) =>
        suites.Where(s => s.IsAead == suites[0].IsAead);

    private static void Add(List<string> words, string word)
    {
        if (!words.Contains(word))
            words.Add(word);
    }

    private static string Encryption(CipherSuite s) => s.Encryption switch
    {
        EncryptionAlgorithm.AesCbc => string.Create(CultureInfo.InvariantCulture, $"aes{s.KeyBits}"),
        EncryptionAlgorithm.AesGcm16 => string.Create(CultureInfo.InvariantCulture, $"aes{s.KeyBits}gcm16"),
        EncryptionAlgorithm.ChaCha20Poly1305 => "chacha20poly1305",
        _ => "null",
    };

    private static string Integrity(IntegrityAlgorithm a) => a switch
    {
        IntegrityAlgorithm.HmacSha1_96 => "sha1",
        IntegrityAlgorithm.HmacSha2_256_128 => "sha256",
        IntegrityAlgorithm.HmacSha2_384_192 => "sha384",
        IntegrityAlgorithm.HmacSha2_512_256 => "sha512",
        _ => throw new ArgumentOutOfRangeException(nameof(a)),
    };

    private static string Prf(PrfAlgorithm a) => a switch
    {
        PrfAlgorithm.HmacSha1 => "prfsha1",
        PrfAlgorithm.HmacSha2_256 => "prfsha256",
        PrfAlgorithm.HmacSha2_384 => "prfsha384",
        PrfAlgorithm.HmacSha2_512 => "prfsha512",
        _ => throw new ArgumentOutOfRangeException(nameof(a)),
    };
}
