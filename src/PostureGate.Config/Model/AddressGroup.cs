// FortiOS CLI reference, `config firewall addrgrp`: a group of addresses or (acyclic) groups.
using System.Net;

namespace PostureGate.Config.Model;

/// <summary><c>config firewall addrgrp</c>: members are addresses or (acyclic) groups.</summary>
public sealed record AddressGroup : AddressObject
{
    public required ValueList<AddressObject> Members { get; init; }
    public string? Comment { get; init; }
    public string? Uuid { get; init; }

    public override bool Contains(IPAddress address) => Members.Any(m => m.Contains(address));

    public override IEnumerable<(IPAddress Start, IPAddress End)> Ranges() => Members.SelectMany(m => m.Ranges());
}
