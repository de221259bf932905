// charon's ike_sa_state_t, reduced to what a dial-up gateway and its client go through.
namespace PostureGate.Ike.Sa;

public enum IkeSaState
{
    /// <summary>IKE_SA_INIT sent or answered, not yet authenticated (half-open).</summary>
    Connecting,
    /// <summary>IKE_AUTH in progress (EAP rounds, or waiting for the post-authentication hook).</summary>
    Authenticating,
    Established,
    /// <summary>Being rekeyed (§2.18): old SA still answers until the new one takes over.</summary>
    Rekeying,
    /// <summary>Delete sent or received; nothing new is started.</summary>
    Deleting,
    Destroyed,
}
