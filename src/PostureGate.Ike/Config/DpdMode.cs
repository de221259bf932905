// FortiOS phase1-interface `set dpd {disable | on-idle | on-demand}`: the RFC 7296 §2.4 liveness check modes.
namespace PostureGate.Ike.Config;

/// <summary>FortiOS `set dpd {disable | on-idle | on-demand}` (phase1-interface).</summary>
public enum DpdMode
{
    Disabled,
    /// <summary>Probe when nothing has been received for dpd-retryinterval.</summary>
    OnIdle,
    /// <summary>Probe only when traffic was sent but nothing came back (RFC 7296 §2.4's "liveness check").</summary>
    OnDemand,
}
