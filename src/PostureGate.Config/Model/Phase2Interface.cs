// FortiOS CLI reference, `config vpn ipsec phase2-interface`: a phase1's CHILD_SA parameters (proposals, PFS, replay, selectors).
using PostureGate.Proposals;

namespace PostureGate.Config.Model;

/// <summary><c>config vpn ipsec phase2-interface</c>: the CHILD_SA parameters of a phase1.</summary>
public sealed record Phase2Interface : ConfigObject, IKeyed
{
    public required string Name { get; init; }
    public required Phase1Interface Phase1 { get; init; }
    public required ValueList<CipherSuite> Proposals { get; init; }
    public required bool Pfs { get; init; }
    public required ValueList<KeyExchangeMethod> DhGroups { get; init; }
    public required bool Replay { get; init; }
    public required bool Keepalive { get; init; }
    public required bool AutoNegotiate { get; init; }
    public required TimeSpan KeyLifetime { get; init; }
    public required Phase2Selector Source { get; init; }
    public required Phase2Selector Destination { get; init; }

    string IKeyed.Key => Name;
}
