// ZTNA tag token: the JWT FortiClient sends to the gateway in the ZTNA_TAG notify. Shape as
// observed in the FortiGate admin guide ("Enforcing security posture verification before
// dial-up VPN connection", Example 2), payload in exactly this member order:
//   {"endpoint":{"uid":…,"tags":[{"name":…,"type":…,"levl":null}],"nwifs":null,
//    "ztna_cert_sn":…,"owner":null},"exp":…,"iat":…}
// signed RS256; the header adds `kid` so a verifier picks the key from the JWKS.
using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using PostureGate.Ems.Model;

namespace PostureGate.Ems.Tokens;

internal sealed class ZtnaTokenIssuer(SigningKeyRing keys)
{
    // The payload is written by hand; the handler must not add nbf/iat/exp of its own.
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public SignedZtnaToken Issue(EndpointRecord endpoint, IEnumerable<TagRef> tags, TokenSettings settings, long now)
    {
        var key = keys.Active;
        var exp = now + settings.LifetimeSeconds;
        var payload = Payload(endpoint, tags, exp, now);
        var token = _handler.CreateToken(payload, key.Credentials);
        return new SignedZtnaToken(token, key.Kid, now, exp, now + settings.RefreshSeconds);
    }

    internal static string Payload(EndpointRecord endpoint, IEnumerable<TagRef> tags, long exp, long iat)
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
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
