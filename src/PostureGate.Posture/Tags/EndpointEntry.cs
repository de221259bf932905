// One endpoint as an EMS connector knows it: the fields of FortiOS `diagnose endpoint ec-shm
// list` (seed: "Record #0: IP Address = …, MAC Address = …, EMS serial number: …").
using System.Net;

namespace PostureGate.Posture;

public sealed record EndpointEntry
{
    public required string Uid { get; init; }
    /// <summary>The address configured on the endpoint; tags resolve to this, never to <see cref="PublicIp"/>.</summary>
    public IPAddress? Ip { get; init; }
    public string? Mac { get; init; }
    public IReadOnlyList<string> Macs { get; init; } = [];
    public string Vdom { get; init; } = "root";
    public int VdomId { get; init; }
    public string? EmsSerial { get; init; }
    public string? EmsTenantId { get; init; }
    public string? ClientCertSn { get; init; }
    public IPAddress? PublicIp { get; init; }
    public bool Quarantined { get; init; }
    public bool Online { get; init; } = true;
    public bool Registered { get; init; } = true;
    public bool OnNet { get; init; }
    public string? GatewayInterface { get; init; }
    public string? FctVersion { get; init; }
    public string? Host { get; init; }
    public string? User { get; init; }
    /// <summary>Zero trust tag names without the `EMS&lt;n&gt;_ZTNA_` prefix.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];
    /// <summary>Classification tag names (EMS tag type 3), seen as `EMS&lt;n&gt;_CLASS_&lt;name&gt;`.</summary>
    public IReadOnlyList<string> Classifications { get; init; } = [];

    /// <summary>The IPv4 address as a host-order integer, or null (IPv6 endpoints resolve no IPv4 tag).</summary>
    public uint? Ipv4 => Ip is null ? null : Ipv4Address.TryToUInt32(Ip, out var v) ? v : null;

    /// <summary>Holds this dynamic address's tag, of its kind.</summary>
    public bool HasTag(DynamicAddressName name) =>
        name.Kind == EmsTagKind.Classification ? Classifications.Contains(name.Tag, StringComparer.Ordinal) : HasTag(name.Tag);

    public bool HasTag(string tag)
    {
        foreach (var t in Tags)
        {
            if (string.Equals(t, tag, StringComparison.Ordinal))
                return true;
        }
        return false;
    }
}
