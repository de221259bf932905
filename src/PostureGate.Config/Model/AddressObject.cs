// What a FortiOS policy's srcaddr/dstaddr or phase1 ipv4-split-include can name: a firewall address or address group.
using System.Net;

namespace PostureGate.Config.Model;

/// <summary>What srcaddr/dstaddr/ipv4-split-include can name: an address or an address group.</summary>
public abstract record AddressObject : ConfigObject, IKeyed
{
    public required string Name { get; init; }

    /// <summary>Whether a static part of this object covers the address (dynamic and geography entries resolve at run time).</summary>
    public abstract bool Contains(IPAddress address);

    /// <summary>The static IPv4 ranges this object covers, flattened (for split-include routes and traffic selectors).</summary>
    public abstract IEnumerable<(IPAddress Start, IPAddress End)> Ranges();

    string IKeyed.Key => Name;
}
