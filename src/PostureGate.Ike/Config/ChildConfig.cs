// A phase 2 (`config vpn ipsec phase2-interface`) selector and its ESP proposals.
using PostureGate.Proposals;

namespace PostureGate.Ike.Config;

/// <summary>Settings for CHILD_SAs negotiated under an <see cref="IkePeerConfig"/>.</summary>
public sealed record ChildConfig
{
    /// <summary>The phase 2 name (FortiOS `edit "DY"`).</summary>
    public required string Name { get; init; }

    /// <summary>ESP suites in configured order (the responder's preference).</summary>
    public required IReadOnlyList<CipherSuite> Proposals { get; init; }

    /// <summary>PFS groups for CREATE_CHILD_SA (empty = `set pfs disable`). IKE_AUTH's child never does PFS (RFC 7296 §1.2).</summary>
    public IReadOnlyList<KeyExchangeMethod> PfsGroups { get; init; } = [];

    /// <summary>`keylifeseconds`, default 43200.</summary>
    public TimeSpan Lifetime { get; init; } = TimeSpan.FromSeconds(43200);

    /// <summary>`replay-window` in packets; 0 disables anti-replay.</summary>
    public int ReplayWindow { get; init; } = 2048;

    /// <summary>Local (responder-side) networks; on a dial-up gateway the split networks are used when configured.</summary>
    public IReadOnlyList<Ipv4Subnet> LocalTs { get; init; } = [Ipv4Subnet.Any];
}
