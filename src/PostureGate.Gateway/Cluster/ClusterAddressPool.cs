// A dial-up phase1's mode-cfg pool shared by every gateway of the cluster (issue 16): the lease is
// a row of pgate_gateway.leases, made by ReserveAsync off the receive loop (IkeAuth awaits it after
// the post-authentication decision); Lease then hands out what was reserved, or null, which
// IkeAuth answers with INTERNAL_ADDRESS_FAILURE (RFC 7296 §3.15.4).
using System.Net;
using PostureGate.Ike.Config;

namespace PostureGate.Gateway.Cluster;

internal sealed class ClusterAddressPool(ClusterNode node, string pool, Ipv4Range[] ranges) : ISharedAddressPool
{
    public long Capacity { get; } = ranges.Sum(r => r.Count);

    public int LeasedCount => node.LeasedCount(pool);

    public ValueTask ReserveAsync(string key, string owner, CancellationToken ct) => node.ReserveAsync(pool, ranges, key, owner, ct);

    public IPAddress? Lease(string key) => node.Reserved(pool, key);

    public bool Release(string key) => node.Release(pool, key);

    public IPAddress? LeaseOf(string key) => node.Reserved(pool, key);
}
