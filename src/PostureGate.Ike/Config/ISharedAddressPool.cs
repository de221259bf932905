// A mode-cfg pool several gateways lease from (issue 16: the cluster's pools live in a database).
// Leasing there is a round trip, so the IKE layer never does it under an SA's lock or on the
// receive loop: after the post-authentication hook allows the peer, IkeAuth awaits ReserveAsync off
// the loop (the path the posture decision already takes), and the synchronous Lease that
// follows only returns what was reserved.
namespace PostureGate.Ike.Config;

public interface ISharedAddressPool : IAddressPool
{
    /// <summary>
    /// Reserves an address for <paramref name="key"/>; <paramref name="owner"/> (the user's UID, else
    /// EAP identity, else IKE identity) is given its previous address again when that is free.
    /// Never throws: a failure leaves no reservation and Lease returns null.
    /// </summary>
    ValueTask ReserveAsync(string key, string owner, CancellationToken ct);
}
