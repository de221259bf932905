// RFC 7638 JSON Web Key thumbprint, used as the `kid` of each signing key.
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace PostureGate.Ems.Tokens;

internal static class JwkThumbprint
{
    /// <summary>RFC 7638 §3.2: the required members of an RSA JWK (e, kty, n) in lexicographic
    /// order, no whitespace, hashed with SHA-256 and base64url-encoded.</summary>
    public static string Compute(RSA rsa)
    {
        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        var canonical = $"{{\"e\":\"{Base64UrlEncoder.Encode(parameters.Exponent)}\",\"kty\":\"RSA\",\"n\":\"{Base64UrlEncoder.Encode(parameters.Modulus)}\"}}";
        return Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}
