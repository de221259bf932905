// ZTNA tag tokens for the interop tests (RFC 7515 §7.1 compact JWS, RS256 per RFC 7518 §3.3),
// signed with the lab `pgate ems`'s own signing key (<data>/keys/<kid>.pem, PKCS#8) or any other,
// in the seed's Example 2 shape — so a test can send exactly what FortiClient EMS would, or
// what an attacker would, with `pgate client connect --ztna-token-file`.
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace PostureGate.Interop.Tests.Lab;

public sealed class LabTokens : IDisposable
{
    private LabTokens(RSA key, string kid)
    {
        EmsKey = key;
        EmsKid = kid;
    }

    /// <summary>The EMS's active signing key (the only one a fresh EMS has).</summary>
    public RSA EmsKey { get; }

    public string EmsKid { get; }

    public static LabTokens FromEms(LabEms ems)
    {
        var pem = Assert.Single(Directory.GetFiles(Path.Combine(ems.DataDirectory, "keys"), "*.pem"));
        var key = RSA.Create();
        key.ImportFromPem(File.ReadAllText(pem));
        return new LabTokens(key, Path.GetFileNameWithoutExtension(pem));
    }

    /// <summary>The seed's header: no kid.</summary>
    public const string SeedHeader = """{"alg":"RS256","typ":"JWT"}""";

    /// <summary>The seed's payload shape; tags as (name, type) — type 3 is a classification tag.</summary>
    public static string Payload(string uid, IEnumerable<(string Name, int Type)> tags, DateTimeOffset iat, DateTimeOffset exp) =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["endpoint"] = new Dictionary<string, object?>
            {
                ["uid"] = uid,
                ["tags"] = tags.Select(t => new Dictionary<string, object?> { ["name"] = t.Name, ["type"] = t.Type, ["levl"] = null }).ToArray(),
                ["nwifs"] = null,
                ["ztna_cert_sn"] = "B09D97178121B588ED3055137577522C7B689B79",
                ["owner"] = null,
            },
            ["exp"] = exp.ToUnixTimeSeconds(),
            ["iat"] = iat.ToUnixTimeSeconds(),
        });

    /// <summary>header.payload.signature, signed with <paramref name="key"/> (default: the EMS's).</summary>
    public string Sign(string headerJson, string payloadJson, RSA? key = null)
    {
        var input = B64(headerJson) + "." + B64(payloadJson);
        var signature = (key ?? EmsKey).SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return input + "." + Base64Url.EncodeToString(signature);
    }

    public static string B64(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));

    public void Dispose() => EmsKey.Dispose();
}
