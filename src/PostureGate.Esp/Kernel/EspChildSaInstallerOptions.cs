// How EspChildSaInstaller maps CHILD_SAs onto the data plane's tunnels: the gateway's role
// (a tunnel per IKE instance, found by the peer's virtual IP) or a client's (one tunnel for
// everything), and how often traffic is reported back for DPD (RFC 7296 §2.4).
namespace PostureGate.Esp;

public sealed record EspChildSaInstallerOptions
{
    /// <summary>
    /// A client: every CHILD_SA goes into one tunnel that takes every destination the TUN device
    /// hands over (the routes decide what enters it). Otherwise a tunnel per IKE instance.
    /// </summary>
    public bool OneTunnelForEverything { get; init; }

    /// <summary>How often packet counters are polled for <c>IChildSaEvents.TrafficSeen</c>; null: never.</summary>
    public TimeSpan? ActivityPoll { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// Numbers tunnels; the composition root gives the installers of one process one numbering, so
    /// that a policy hook shared by several data planes tells their tunnels apart.
    /// </summary>
    public TunnelNumbering? TunnelNumbers { get; init; }

    /// <summary>The group a tunnel's packets are filtered as (the gateway: the phase1 of "dialup_0"); the instance by default.</summary>
    public Func<string, string> TunnelGroupOf { get; init; } = static instance => instance;
}
