// How the gateway host runs (data plane mode, listen address, port overrides, posture budget) — PostureGate's own, filled at the edge.
using System.Net;

namespace PostureGate.Gateway.Composition;

public enum DataPlaneMode
{
    /// <summary>ESP over TUN when the process may create TUN devices (root / CAP_NET_ADMIN), else control plane only.</summary>
    Auto,
    /// <summary>ESP over TUN, or fail to start.</summary>
    On,
    /// <summary>Control plane only: CHILD_SAs are recorded, not installed.</summary>
    Off,
}

public sealed record GatewayHostOptions
{
    public string ControlPath { get; init; } = Control.ControlProtocol.DefaultSocketPath;
    public DataPlaneMode DataPlane { get; init; } = DataPlaneMode.Auto;
    /// <summary>Listen here instead of the phase1 interfaces' addresses (`pgate up` uses loopback).</summary>
    public IPAddress? ListenAddress { get; init; }
    /// <summary>
    /// With a loopback <see cref="ListenAddress"/>, give the n-th dial-up phase1 its own loopback
    /// address (127.0.0.1, 127.0.0.2 …): the gateway tells dial-up phase1s apart by the local
    /// address a client reaches, as FortiOS does by the incoming interface.
    /// </summary>
    public bool LoopbackPerPhase1 { get; init; }
    /// <summary>Overrides `system settings` ike-port / ike-natt-port (tests use free ports).</summary>
    public int? IkePort { get; init; }
    public int? NatTPort { get; init; }
    public TimeProvider Time { get; init; } = TimeProvider.System;
    /// <summary>
    /// How long the EMS may take for one posture decision before the client's token decides
    /// (`--posture-decision-budget`); the IKE layer answers at the latest 5 s later.
    /// </summary>
    public TimeSpan PostureDecisionBudget { get; init; } = PostureGate.Posture.PostureGateKeeper.DefaultDecisionBudget;
    /// <summary>Resolves dynamic (EMS tag) addresses for the firewall; the posture gate provides it.</summary>
    public Func<PostureGate.Config.Model.FirewallAddress, Firewall.IAddressMatcher?>? DynamicAddresses { get; init; }
    /// <summary>Revoked peer certificates the posture gate learns from its EMSes (every phase1's peer check consults it).</summary>
    public PostureGate.Ike.Auth.IRevocationCheck? Revocations { get; init; }
    /// <summary>The data plane's tuning (docs/operations.md); the entry point fills it, nothing below reads the environment.</summary>
    public PostureGate.Esp.DataPlaneTuning DataPlaneTuning { get; init; } = new();
    /// <summary>`--metrics ADDR:PORT`: serve Prometheus metrics at http://ADDR:PORT/metrics; null (the default): no listener.</summary>
    public IPEndPoint? MetricsListen { get; init; }
    /// <summary>`--data DIR`: where the admin console keeps its generated certificate (admin.pfx) and its admin accounts.</summary>
    public string DataDirectory { get; init; } = PostureGate.Config.Secrets.ConfigKeyFile.DefaultDataDirectory;
    /// <summary>Overrides `system global` admin-sport (tests use free ports); the console is still off without admin-sport.</summary>
    public int? AdminPort { get; init; }
    /// <summary>
    /// `pgate up`: the console on this endpoint whatever the configuration says; when that port is
    /// taken, on a free one (the URL printed says which).
    /// </summary>
    public IPEndPoint? AdminListen { get; init; }
    /// <summary>The web console's pages on the admin listener; null: the listener serves /metrics only.</summary>
    public Admin.IAdminConsole? AdminConsole { get; init; }
    /// <summary>`--wireshark-keys DIR`: write Wireshark's IKEv2 and ESP key tables there; null (the default): never.</summary>
    public string? WiresharkKeysDirectory { get; init; }
    /// <summary>`--cluster-db`: this gateway as a node of a cluster (shared pools, session registry); null: alone.</summary>
    public Cluster.ClusterNode? Cluster { get; init; }
}
