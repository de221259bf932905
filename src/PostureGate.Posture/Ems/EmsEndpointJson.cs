// Reads the EMS gateway API's endpoint JSON (PostureGate.Ems EndpointJson: uid, host, user,
// fct_version, ip, macs, public_ip, ztna_cert_sn, registered, online, tags[{name,type}]) into
// an EndpointEntry. The wire shape is bound to small DTOs (so a 1M-endpoint snapshot streams
// into objects without a JsonDocument of the whole body), then validated here once; anything
// malformed returns false and the caller treats the answer as garbage.
using System.Net;
using System.Text.Json;

namespace PostureGate.Posture;

internal sealed class EmsTagDto
{
    public string? Name { get; set; }
    public int Type { get; set; }
}

internal sealed class EmsEndpointDto
{
    public string? Uid { get; set; }
    public string? Host { get; set; }
    public string? User { get; set; }
    public string? FctVersion { get; set; }
    public string? Ip { get; set; }
    public List<string>? Macs { get; set; }
    public string? PublicIp { get; set; }
    public string? ZtnaCertSn { get; set; }
    public bool? Registered { get; set; }
    public bool? Online { get; set; }
    public bool? Quarantined { get; set; }
    public bool? OnNet { get; set; }
    public List<EmsTagDto>? Tags { get; set; }
}

internal sealed class EmsRevokedCertificateDto
{
    public string? Serial { get; set; }
    public string? Uid { get; set; }
}

internal sealed class EmsSnapshotDto
{
    public long? Version { get; set; }
    public string? EndpointCaKey { get; set; }
    public List<EmsRevokedCertificateDto>? RevokedCertificates { get; set; }
    public string? EmsSn { get; set; }
    public string? EmsTenantId { get; set; }
    public List<EmsTagDto>? Tags { get; set; }
    public List<EmsEndpointDto>? Endpoints { get; set; }
}

internal static class EmsEndpointJson
{
    public const int MaxMacs = 32;

    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        MaxDepth = 16,
    };

    public static bool TryRead(JsonElement element, string? emsSerial, string? tenantId, out EndpointEntry entry)
    {
        entry = null!;
        return element.ValueKind == JsonValueKind.Object
            && element.Deserialize<EmsEndpointDto>(Options) is { } dto
            && TryRead(dto, emsSerial, tenantId, out entry);
    }

    public static bool TryRead(EmsEndpointDto dto, string? emsSerial, string? tenantId, out EndpointEntry entry)
    {
        entry = null!;
        if (dto.Uid is not { Length: FortiClientConnectBody.UidLength } uid || !uid.AsSpan().ContainsOnlyHex())
            return false;
        IPAddress? ip = null, publicIp = null;
        if (dto.Ip is { } ipText && !IPAddress.TryParse(ipText, out ip))
            return false;
        if (dto.PublicIp is { } publicText)
            IPAddress.TryParse(publicText, out publicIp);
        var macs = (dto.Macs ?? []).Where(m => m is { Length: > 0 and <= 32 }).Take(MaxMacs).ToList();
        var tags = new List<string>(dto.Tags?.Count ?? 0);
        var classifications = new List<string>();
        foreach (var tag in dto.Tags ?? [])
        {
            if (string.IsNullOrEmpty(tag?.Name))
                return false;
            (DynamicAddressName.KindOfType(tag.Type) == EmsTagKind.Classification ? classifications : tags).Add(tag.Name);
        }
        entry = new EndpointEntry
        {
            Uid = uid.ToUpperInvariant(),
            Ip = ip is null ? null : Ipv4Address.Normalize(ip),
            Mac = macs.Count > 0 ? macs[0] : null,
            Macs = macs,
            EmsSerial = emsSerial,
            EmsTenantId = tenantId,
            ClientCertSn = dto.ZtnaCertSn,
            PublicIp = publicIp,
            Online = dto.Online ?? true,
            Registered = dto.Registered ?? true,
            Quarantined = dto.Quarantined ?? false,
            OnNet = dto.OnNet ?? false,
            FctVersion = dto.FctVersion,
            Host = dto.Host,
            User = dto.User,
            Tags = tags,
            Classifications = classifications,
        };
        return true;
    }

    /// <summary>A certificate serial as the EMS writes it: 1-20 octets of hex (RFC 5280 §4.1.2.2).</summary>
    public static bool IsSerial(string? text) => text is { Length: > 0 and <= 40 } && text.Length % 2 == 0 && text.AsSpan().ContainsOnlyHex();

    public static bool IsUid(string? text) => text is { Length: FortiClientConnectBody.UidLength } && text.AsSpan().ContainsOnlyHex();

    public static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
