// One CHILD_SA pair (RFC 7296 §1.3, §2.17) as the IKE SA keeps it: the negotiated
// proposal, both SPIs, the selectors and the installation handed to the data plane.
using PostureGate.Ike.Config;
using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Ike.Sa;

public enum ChildSaState
{
    Installed,
    Rekeying,
    /// <summary>Replaced by a rekey; kept until the peer's Delete / our Delete completes (§2.8).</summary>
    Rekeyed,
    Deleting,
}

public sealed class ChildSa
{
    public ChildSa(ChildConfig config, EspProposal proposal, uint inboundSpi, uint outboundSpi,
        IReadOnlyList<TrafficSelector> localTs, IReadOnlyList<TrafficSelector> remoteTs, DateTimeOffset created)
    {
        Config = config;
        Proposal = proposal;
        InboundSpi = inboundSpi;
        OutboundSpi = outboundSpi;
        LocalTs = localTs;
        RemoteTs = remoteTs;
        Created = created;
    }

    public ChildConfig Config { get; }
    public EspProposal Proposal { get; }
    public uint InboundSpi { get; }
    public uint OutboundSpi { get; }
    public IReadOnlyList<TrafficSelector> LocalTs { get; }
    public IReadOnlyList<TrafficSelector> RemoteTs { get; }
    public DateTimeOffset Created { get; }
    public ChildSaState State { get; set; } = ChildSaState.Installed;
    /// <summary>What was handed to the data plane (keys included; cleared when removed).</summary>
    public ChildSaInstallation? Installation { get; set; }
    public ITimer? RekeyTimer { get; set; }
    public ITimer? ExpireTimer { get; set; }
    public DateTimeOffset LastInbound { get; set; }
    public DateTimeOffset LastOutbound { get; set; }

    public void ClearKeys()
    {
        Installation?.InboundKeys.Clear();
        Installation?.OutboundKeys.Clear();
    }

    public void StopTimers()
    {
        RekeyTimer?.Dispose();
        ExpireTimer?.Dispose();
        RekeyTimer = ExpireTimer = null;
    }

    public override string ToString() => $"{Config.Name}{{{InboundSpi:x8}_i {OutboundSpi:x8}_o}}";
}
