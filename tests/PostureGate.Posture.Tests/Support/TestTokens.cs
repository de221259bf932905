// Builds ZTNA tag tokens by hand (header.payload.signature), so tests can produce exactly the
// malformed variants an attacker would: alg none, HS256 with the public key, tampered claims.
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace PostureGate.Posture.Tests;

internal sealed class TestTokens : IDisposable
{
    public const string SeedUid = "F8A6AFF3531843B4972CBDBEEEB30E3C";

    // Key generation is the slow part of these tests; one key serves them all.
    private static readonly RSA SharedRsa = RSA.Create(2048);

    public TestTokens(string kid = "ems-key-1", int connectorId = 3)
    {
        Rsa = SharedRsa;
        Kid = kid;
        ConnectorId = connectorId;
        Keys = new PinnedKeyStore();
        Keys.Set(connectorId, kid, new RsaSecurityKey(Rsa.ExportParameters(false)) { KeyId = kid });
    }

    public RSA Rsa { get; }
    public string Kid { get; }
    public int ConnectorId { get; }
    public PinnedKeyStore Keys { get; }

    /// <summary>The seed's payload shape (Example 2), with our own uid, tags and times.</summary>
    public static string Payload(string uid, IEnumerable<string> tags, long iat, long exp) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["endpoint"] = new Dictionary<string, object?>
        {
            ["uid"] = uid,
            ["tags"] = tags.Select(t => new Dictionary<string, object?> { ["name"] = t, ["type"] = 1, ["levl"] = null }).ToArray(),
            ["nwifs"] = null,
            ["ztna_cert_sn"] = "B09D97178121B588ED3055137577522C7B689B79",
            ["owner"] = null,
        },
        ["exp"] = exp,
        ["iat"] = iat,
    });

    public string Header(string alg = "RS256", string? kid = null) =>
        JsonSerializer.Serialize(new Dictionary<string, string> { ["alg"] = alg, ["typ"] = "JWT", ["kid"] = kid ?? Kid });

    public string Sign(string headerJson, string payloadJson, RSA? key = null)
    {
        var signingInput = B64(headerJson) + "." + B64(payloadJson);
        var signature = (key ?? Rsa).SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    public string Valid(DateTimeOffset now, string uid = SeedUid, string[]? tags = null, long? iat = null, long? exp = null) =>
        Sign(Header(), Payload(uid, tags ?? ["a", "all_registered_clients"], iat ?? now.ToUnixTimeSeconds(), exp ?? now.ToUnixTimeSeconds() + 3600));

    public static string B64(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));

    public void Dispose() { }
}
