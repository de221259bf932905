// The live tunnels, indexed by instance, endpoint UID, endpoint IPv4 and the fctems entry whose
// tag admitted them, so that an EMS change for one endpoint finds its tunnels in O(1), and an
// EMS going out of sync finds its own tunnels in O(its tunnels) (10,000 tunnels: no scan).
// Replace and Remove take the record they expect: a decision made on a record that a delete, a
// re-admission or a token update has since replaced changes nothing.
namespace PostureGate.Posture;

internal sealed class LiveTunnelTable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LiveTunnel> _byInstance = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _byUid = new(StringComparer.Ordinal);
    private readonly Dictionary<uint, HashSet<string>> _byIp = [];
    private readonly Dictionary<int, HashSet<string>> _byConnector = [];

    public int Count
    {
        get
        {
            lock (_lock)
                return _byInstance.Count;
        }
    }

    public void Set(LiveTunnel tunnel)
    {
        lock (_lock)
        {
            if (_byInstance.Remove(tunnel.Instance, out var old))
                Unindex(old);
            Index(tunnel);
        }
    }

    /// <summary>Swaps <paramref name="expected"/> for <paramref name="updated"/> (same instance) only if it is still the live record.</summary>
    public bool Replace(LiveTunnel expected, LiveTunnel updated)
    {
        if (!string.Equals(expected.Instance, updated.Instance, StringComparison.Ordinal))
            throw new ArgumentException("a replacement keeps the instance name", nameof(updated));
        lock (_lock)
        {
            if (!_byInstance.TryGetValue(expected.Instance, out var current) || !ReferenceEquals(current, expected))
                return false;
            Unindex(current);
            Index(updated);
            return true;
        }
    }

    public bool TryGet(string instance, out LiveTunnel tunnel)
    {
        lock (_lock)
            return _byInstance.TryGetValue(instance, out tunnel!);
    }

    /// <summary>Removes the tunnel only if it is still <paramref name="expected"/> (a concurrent re-admission wins).</summary>
    public bool Remove(string instance, LiveTunnel? expected = null)
    {
        lock (_lock)
        {
            if (!_byInstance.TryGetValue(instance, out var current) || expected is not null && !ReferenceEquals(current, expected))
                return false;
            _byInstance.Remove(instance);
            Unindex(current);
            return true;
        }
    }

    public IReadOnlyList<LiveTunnel> Find(string? uid, uint? ip, uint? otherIp = null)
    {
        lock (_lock)
        {
            var instances = new HashSet<string>(StringComparer.Ordinal);
            if (uid is not null && _byUid.TryGetValue(uid, out var a))
                instances.UnionWith(a);
            if (ip is { } i && _byIp.TryGetValue(i, out var b))
                instances.UnionWith(b);
            if (otherIp is { } o && _byIp.TryGetValue(o, out var c))
                instances.UnionWith(c);
            return [.. instances.Select(n => _byInstance[n])];
        }
    }

    /// <summary>The tunnels a tag of fctems entry <paramref name="connectorId"/> admitted.</summary>
    public IReadOnlyList<LiveTunnel> ForConnector(int connectorId)
    {
        lock (_lock)
            return _byConnector.TryGetValue(connectorId, out var set) ? [.. set.Select(n => _byInstance[n])] : [];
    }

    public IReadOnlyList<LiveTunnel> All()
    {
        lock (_lock)
            return [.. _byInstance.Values];
    }

    private void Index(LiveTunnel tunnel)
    {
        _byInstance[tunnel.Instance] = tunnel;
        if (tunnel.Uid is { } uid)
            Add(_byUid, uid, tunnel.Instance);
        if (tunnel.Ipv4 is { } ip)
            Add(_byIp, ip, tunnel.Instance);
        if (tunnel.ConnectorId is { } connector)
            Add(_byConnector, connector, tunnel.Instance);
    }

    // Leaves _byInstance to the caller (Replace overwrites the entry, Remove deletes it).
    private void Unindex(LiveTunnel tunnel)
    {
        if (tunnel.Uid is { } uid)
            RemoveFrom(_byUid, uid, tunnel.Instance);
        if (tunnel.Ipv4 is { } ip)
            RemoveFrom(_byIp, ip, tunnel.Instance);
        if (tunnel.ConnectorId is { } connector)
            RemoveFrom(_byConnector, connector, tunnel.Instance);
    }

    private static void Add<TKey>(Dictionary<TKey, HashSet<string>> index, TKey key, string instance) where TKey : notnull
    {
        if (!index.TryGetValue(key, out var set))
            index[key] = set = new HashSet<string>(StringComparer.Ordinal);
        set.Add(instance);
    }

    private static void RemoveFrom<TKey>(Dictionary<TKey, HashSet<string>> index, TKey key, string instance) where TKey : notnull
    {
        if (index.TryGetValue(key, out var set) && set.Remove(instance) && set.Count == 0)
            index.Remove(key);
    }
}
