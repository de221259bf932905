// EMS connector states, simplified from FortiOS `diagnose endpoint fctems`: connecting, synced, lost.
namespace PostureGate.Posture;

/// <summary>FortiOS `diagnose endpoint fctems` states, simplified: never synced, following, or lost since a time.</summary>
public enum ConnectorState
{
    Connecting,
    Synced,
    Lost,
}
