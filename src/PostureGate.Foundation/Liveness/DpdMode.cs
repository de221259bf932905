// FortiOS phase1-interface `set dpd {disable | on-idle | on-demand}`: the RFC 7296 §2.4 liveness check modes.
// One type for the config word and the IKE task that acts on it; member names match the FortiOS words.
namespace PostureGate.Liveness;

/// <summary>FortiOS `set dpd {disable | on-idle | on-demand}` (phase1-interface).</summary>
public enum DpdMode
{
    Disable,
    /// <summary>Probe when nothing has been received for dpd-retryinterval.</summary>
    OnIdle,
    /// <summary>Probe only when traffic was sent but nothing came back (RFC 7296 §2.4's "liveness check").</summary>
    OnDemand,
}
