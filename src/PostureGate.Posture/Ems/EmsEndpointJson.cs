// Reads the EMS gateway API's endpoint JSON (PostureGate.Ems EndpointJson: uid, host, user,
// fct_version, ip, macs, public_ip, ztna_cert_sn, registered, online, tags[{name,type}]) into
// an EndpointEntry. Anything malformed returns false: the caller treats the answer as garbage.
using System.Net;
using System.Text.Json;

namespace PostureGate.Posture;

internal static class EmsEndpointJson
{
    public static bool TryRead(JsonElement element, string? emsSerial, string? tenantId, out EndpointEntry entry)
    {
        entry = null!;
        if (element.ValueKind != JsonValueKind.Object)
            return false;
        var uid = String(element, "uid");
        if (uid is not { Length: FortiClientConnectBody.UidLength } || !uid.AsSpan().ContainsOnlyHex())
            return false;
        IPAddress? ip = null, publicIp = null;
        if (String(element, "ip") is { } ipText && !IPAddress.TryParse(ipText, out ip))
            return false;
        if (String(element, "public_ip") is { } publicText)
            IPAddress.TryParse(publicText, out publicIp);
        var macs = new List<string>();
        if (element.TryGetProperty("macs", out var macArray) && macArray.ValueKind == JsonValueKind.Array)
        {
            foreach (var mac in macArray.EnumerateArray())
            {
                if (mac.ValueKind == JsonValueKind.String && mac.GetString() is { Length: > 0 and <= 32 } m)
                    macs.Add(m);
            }
        }
        var tags = new List<string>();
        if (element.TryGetProperty("tags", out var tagArray))
        {
            if (tagArray.ValueKind != JsonValueKind.Array)
                return false;
            foreach (var tag in tagArray.EnumerateArray())
            {
                var name = tag.ValueKind == JsonValueKind.Object ? String(tag, "name") : tag.ValueKind == JsonValueKind.String ? tag.GetString() : null;
                if (string.IsNullOrEmpty(name))
                    return false;
                tags.Add(name);
            }
        }
        entry = new EndpointEntry
        {
            Uid = uid.ToUpperInvariant(),
            Ip = ip is null ? null : Ipv4Address.Normalize(ip),
            Mac = macs.Count > 0 ? macs[0] : null,
            Macs = macs,
            EmsSerial = emsSerial,
            EmsTenantId = tenantId,
            ClientCertSn = String(element, "ztna_cert_sn"),
            PublicIp = publicIp,
            Online = Bool(element, "online") ?? true,
            Registered = Bool(element, "registered") ?? true,
            Quarantined = Bool(element, "quarantined") ?? false,
            OnNet = Bool(element, "on_net") ?? false,
            FctVersion = String(element, "fct_version"),
            Host = String(element, "host"),
            User = String(element, "user"),
            Tags = tags,
        };
        return true;
    }

    public static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool? Bool(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;
}
