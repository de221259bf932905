// The mode-cfg address pool as the IKE layer sees it (RFC 7296 §3.15.1 INTERNAL_IP4_ADDRESS):
// one address per lease key (the IKE SA instance), held until Release. AddressPool is the
// in-memory default; a pool shared by several gateways implements ISharedAddressPool as well.
using System.Net;

namespace PostureGate.Ike.Config;

public interface IAddressPool
{
    /// <summary>How many addresses the pool's ranges hold.</summary>
    long Capacity { get; }

    /// <summary>How many addresses this gateway has leased from it.</summary>
    int LeasedCount { get; }

    /// <summary>The address <paramref name="key"/> holds, leased now if it holds none; null when none can be given.</summary>
    IPAddress? Lease(string key);

    /// <summary>Returns the address held by <paramref name="key"/>; false when it held none.</summary>
    bool Release(string key);

    IPAddress? LeaseOf(string key);
}
