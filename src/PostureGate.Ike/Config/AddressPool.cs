// The mode-cfg address pool of a dial-up phase 1 (FortiOS `mode-cfg enable`, `ipv4-start-ip`,
// `ipv4-end-ip`; strongSwan's mem_pool). An address is bound to one lease key (the IKE SA
// instance); asking again with the same key returns the same address, and an address is
// never handed to a second key until it is released (on IKE SA delete).
using System.Net;

namespace PostureGate.Ike.Config;

public sealed class AddressPool
{
    private readonly Ipv4Range[] _ranges;
    private readonly Dictionary<string, uint> _byKey = new(StringComparer.Ordinal);
    private readonly HashSet<uint> _inUse = [];
    private readonly Lock _lock = new();

    public AddressPool(IEnumerable<Ipv4Range> ranges)
    {
        _ranges = [.. ranges];
        if (_ranges.Length == 0)
            throw new ArgumentException("a pool needs at least one range", nameof(ranges));
        Capacity = _ranges.Sum(r => r.Count);
    }

    public AddressPool(params Ipv4Range[] ranges) : this((IEnumerable<Ipv4Range>)ranges) { }

    public long Capacity { get; }

    public int LeasedCount
    {
        get { lock (_lock) return _inUse.Count; }
    }

    /// <summary>Leases the lowest free address to <paramref name="key"/>, or returns its existing lease; null when exhausted.</summary>
    public IPAddress? Lease(string key)
    {
        lock (_lock)
        {
            if (_byKey.TryGetValue(key, out var held))
                return Ipv4.ToAddress(held);
            foreach (var r in _ranges)
            {
                for (var a = (long)r.First; a <= r.Last; a++)
                {
                    if (_inUse.Add((uint)a))
                    {
                        _byKey[key] = (uint)a;
                        return Ipv4.ToAddress((uint)a);
                    }
                }
            }
            return null;
        }
    }

    /// <summary>Returns the address held by <paramref name="key"/> to the pool; false when it held none.</summary>
    public bool Release(string key)
    {
        lock (_lock)
        {
            if (!_byKey.Remove(key, out var a))
                return false;
            _inUse.Remove(a);
            return true;
        }
    }

    public IPAddress? LeaseOf(string key)
    {
        lock (_lock)
            return _byKey.TryGetValue(key, out var a) ? Ipv4.ToAddress(a) : null;
    }
}
