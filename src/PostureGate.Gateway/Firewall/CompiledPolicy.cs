// One `config firewall policy` entry compiled for the packet path (the configuration's own
// is PostureGate.Config.Model.FirewallPolicy). FortiOS evaluates policies in their configured
// order; the first whose interfaces, addresses and service match decides. No match is the
// implicit deny (policy 0).
using PostureGate.Config.Model;

namespace PostureGate.Gateway.Firewall;

public sealed class CompiledPolicy
{
    private long _hits;
    private long _bytes;

    public required int Id { get; init; }
    public string Name { get; init; } = "";
    public required IReadOnlySet<string> SourceInterfaces { get; init; }
    public required IReadOnlySet<string> DestinationInterfaces { get; init; }
    public required IAddressMatcher Source { get; init; }
    public required IAddressMatcher Destination { get; init; }
    public required ServiceMatcher Service { get; init; }
    /// <summary>Accept or deny (an `ipsec` action compiles to deny: this engine filters decrypted traffic).</summary>
    public required PolicyAction Action { get; init; }
    public bool Nat { get; init; }

    public long Hits => Interlocked.Read(ref _hits);
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>`any` in srcintf/dstintf matches every interface, as in FortiOS.</summary>
    public bool Matches(in PacketFacts p) =>
        (SourceInterfaces.Contains("any") || SourceInterfaces.Contains(p.SourceInterface)) &&
        (DestinationInterfaces.Contains("any") || (p.DestinationInterface is { } d && DestinationInterfaces.Contains(d))) &&
        Source.Contains(p.Source) && Destination.Contains(p.Destination) &&
        Service.Matches(p.Protocol, p.DestinationPort);

    internal void Hit(int length)
    {
        Interlocked.Increment(ref _hits);
        Interlocked.Add(ref _bytes, length);
    }
}
