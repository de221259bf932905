// FortiOS phase1 `set remote-gw-match {any | ipmask | iprange | geography | ztna}` with the
// settings each mode reads (remote-gw-subnet, remote-gw-start-ip/end-ip, remote-gw-country,
// remote-gw-ztna-tags) and `ems-sn-check`.
using System.Net;
using PostureGate.Admission;

namespace PostureGate.Posture;

public sealed record RemoteGwMatch
{
    public static RemoteGwMatch Any { get; } = new();

    public RemoteGwMatchMode Mode { get; init; } = RemoteGwMatchMode.Any;
    /// <summary>ipmask: remote-gw-subnet address and prefix length.</summary>
    public IPAddress? Subnet { get; init; }
    public int SubnetPrefixLength { get; init; }
    /// <summary>iprange: remote-gw-start-ip / remote-gw-end-ip, inclusive.</summary>
    public IPAddress? RangeStart { get; init; }
    public IPAddress? RangeEnd { get; init; }
    /// <summary>geography: remote-gw-country (ISO 3166 alpha-2).</summary>
    public string? Country { get; init; }
    /// <summary>ztna: remote-gw-ztna-tags in the order they are tried.</summary>
    public IReadOnlyList<string> ZtnaTags { get; init; } = [];
    /// <summary>ems-sn-check enable: the client's EMSSN must be a configured connector's serial.</summary>
    public bool EmsSnCheck { get; init; }
    /// <summary>
    /// ztna-uid-proof enable (PostureGate's own): the UID must come from the device certificate the
    /// peer authenticated with in IKE; a UID only FORTICLIENT_CONNECT asserts is refused.
    /// </summary>
    public bool RequireProvenUid { get; init; }
    /// <summary>
    /// ztna-token-binding enable (PostureGate's own): a ZTNA token counts only when bound (RFC 7800
    /// cnf) to the certificate the peer proved in this IKE SA; an unbound token is refused.
    /// </summary>
    public bool RequireTokenBinding { get; init; }
}
