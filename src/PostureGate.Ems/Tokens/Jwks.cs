// RFC 7517 JWK Set of the published token-signing keys (RFC 7518 §6.3.1 RSA public members).
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace PostureGate.Ems.Tokens;

internal static class Jwks
{
    public static string Write(IEnumerable<SigningKey> keys)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("keys"u8);
            foreach (var key in keys)
            {
                var parameters = key.Rsa.ExportParameters(includePrivateParameters: false);
                writer.WriteStartObject();
                writer.WriteString("kty"u8, "RSA");
                writer.WriteString("use"u8, "sig");
                writer.WriteString("alg"u8, SecurityAlgorithms.RsaSha256);
                writer.WriteString("kid"u8, key.Kid);
                writer.WriteString("n"u8, Base64UrlEncoder.Encode(parameters.Modulus));
                writer.WriteString("e"u8, Base64UrlEncoder.Encode(parameters.Exponent));
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
