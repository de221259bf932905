// One side of a FortiOS phase2-interface quick-mode selector (src-…/dst-… attributes), i.e. an RFC 7296 §3.13 traffic selector.
using System.Net;

namespace PostureGate.Config.Model;

/// <summary>One side of a phase2 quick-mode selector: src-… or dst-… attributes.</summary>
public sealed record Phase2Selector
{
    public required SelectorType Type { get; init; }
    public required IpPrefix Subnet { get; init; }
    public IPAddress? StartIp { get; init; }
    public IPAddress? EndIp { get; init; }
    /// <summary>For <c>addr-type name</c>: the address or group.</summary>
    public AddressObject? Name { get; init; }
}
