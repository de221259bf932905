// IRedirectTargets over the cluster registry (issue 16; RFC 5685): the other nodes that are alive and
// not draining, least loaded first. The receive path never waits on the database: it reads a snapshot
// the heartbeat replaces (Refresh). Between two snapshots each redirect counts against the node it
// named, so a burst of redirected clients spreads instead of all going to the one least loaded node.
using System.Net;
using PostureGate.Ike.Config;
using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Gateway.Cluster;

public sealed class ClusterRedirectTargets : IRedirectTargets
{
    private readonly string _self;
    private volatile Target[] _targets = [];

    public ClusterRedirectTargets(string self) => _self = self;

    /// <summary>One node a redirect may name, with its session count and the redirects sent to it since the snapshot.</summary>
    public sealed class Target(string name, IPAddress address, int sessions)
    {
        internal int Sent;

        public string Name { get; } = name;
        public IPAddress Address { get; } = address;
        public int Sessions { get; } = sessions;
        internal int Load => Sessions + Volatile.Read(ref Sent);
    }

    /// <summary>The nodes of the last snapshot a redirect may name, least loaded first.</summary>
    public IReadOnlyList<Target> Targets => _targets;

    /// <summary>Replaces the snapshot with the registry's <paramref name="loads"/>.</summary>
    public void Refresh(IReadOnlyList<ClusterNodeLoad> loads) => _targets = Select(loads, _self);

    /// <summary>
    /// The nodes a redirect may name: alive, not draining, not <paramref name="self"/>, with a specific
    /// IKE address (a node listening on the wildcard has none to give), least loaded first.
    /// </summary>
    public static Target[] Select(IReadOnlyList<ClusterNodeLoad> loads, string self)
    {
        ArgumentNullException.ThrowIfNull(loads);
        return [.. loads
            .Where(l => l.Alive && !l.Draining && l.Name != self)
            .Select(l => (Load: l, Address: AddressOf(l.Address)))
            .Where(t => t.Address is not null)
            .OrderBy(t => t.Load.Sessions).ThenBy(t => t.Load.Name, StringComparer.Ordinal)
            .Select(t => new Target(t.Load.Name, t.Address!, t.Load.Sessions))];
    }

    public RedirectGateway? Pick(IPAddress local, IPAddress? redirectedFrom)
    {
        // §7 (loops): never this node, never where the client came from; the least loaded of the rest.
        // Only a node of the family the client reached this one over: that is what it is known to reach.
        var family = Unmapped(local).AddressFamily;
        Target? best = null;
        foreach (var t in _targets)
            if (t.Address.AddressFamily == family && !Same(t.Address, local) && (redirectedFrom is null || !Same(t.Address, redirectedFrom))
                && (best is null || t.Load < best.Load))
                best = t;
        if (best is null)
            return null;
        Interlocked.Increment(ref best.Sent);
        return RedirectGateway.FromAddress(best.Address);
    }

    public string Describe()
    {
        var targets = _targets;
        return targets.Length == 0 ? "" : "cluster: " + string.Join(' ', targets.Select(t => $"{t.Name}={t.Address}({t.Sessions})"));
    }

    // The registry holds "IP:port" (a redirect names the address only, §9.2); "" until a node's listeners are up.
    private static IPAddress? AddressOf(string endpoint) =>
        IPEndPoint.TryParse(endpoint, out var e) && !e.Address.Equals(IPAddress.Any) && !e.Address.Equals(IPAddress.IPv6Any) ? Unmapped(e.Address) : null;

    private static IPAddress Unmapped(IPAddress a) => a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a;

    // An IPv4 client may arrive on a dual-stack socket as ::ffff:a.b.c.d.
    private static bool Same(IPAddress a, IPAddress b) => Unmapped(a).Equals(Unmapped(b));
}
