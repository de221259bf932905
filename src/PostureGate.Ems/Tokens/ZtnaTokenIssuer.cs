// ZTNA tag token: the JWT FortiClient sends to the gateway in the ZTNA_TAG notify. Shape as
// observed in the FortiGate admin guide ("Enforcing security posture verification before
// dial-up VPN connection", Example 2), payload in exactly this member order:
//   {"endpoint":{"uid":…,"tags":[{"name":…,"type":…,"levl":null}],"nwifs":null,
//    "ztna_cert_sn":…,"owner":null},"exp":…,"iat":…}
// signed RS256; the header adds `kid` so a verifier picks the key from the JWKS.
// For an endpoint that fetched its token with its device certificate, the payload ends with
// "cnf":{"x5t#S256":…} (RFC 7800 §3.1, RFC 8705 §3.1: base64url SHA-256 of the certificate's DER),
// so the token counts only for a peer that proves that certificate's key (PostureGate's own).
using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using PostureGate.Ems.Model;

namespace PostureGate.Ems.Tokens;

internal sealed class ZtnaTokenIssuer(SigningKeyRing keys)
{
    // The payload is written by hand; the handler must not add nbf/iat/exp of its own.
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <param name="deviceCertificateDer">The device certificate the endpoint authenticated with (mutual TLS): the token is bound to it; null, unbound.</param>
    public SignedZtnaToken Issue(EndpointRecord endpoint, IEnumerable<TagRef> tags, TokenSettings settings, long now, ReadOnlySpan<byte> deviceCertificateDer = default)
    {
        var key = keys.Active;
        var exp = now + settings.LifetimeSeconds;
        var payload = Payload(endpoint, tags, exp, now, deviceCertificateDer.IsEmpty ? null : SHA256.HashData(deviceCertificateDer));
        var token = _handler.CreateToken(payload, key.Credentials);
        return new SignedZtnaToken(token, key.Kid, now, exp, now + settings.RefreshSeconds);
    }

    internal static string Payload(EndpointRecord endpoint, IEnumerable<TagRef> tags, long exp, long iat, byte[]? x5tS256 = null)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("endpoint"u8);
            writer.WriteString("uid"u8, endpoint.Uid);
            writer.WriteStartArray("tags"u8);
            foreach (var tag in tags)
            {
                writer.WriteStartObject();
                writer.WriteString("name"u8, tag.Name);
                writer.WriteNumber("type"u8, tag.Type);
                writer.WriteNull("levl"u8);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteNull("nwifs"u8);
            writer.WriteString("ztna_cert_sn"u8, endpoint.ZtnaCertSn);
            writer.WriteNull("owner"u8);
            writer.WriteEndObject();
            writer.WriteNumber("exp"u8, exp);
            writer.WriteNumber("iat"u8, iat);
            if (x5tS256 is not null)
            {
                writer.WriteStartObject("cnf"u8);
                writer.WriteString("x5t#S256"u8, Base64Url.EncodeToString(x5tS256));
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
