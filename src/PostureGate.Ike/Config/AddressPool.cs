// The mode-cfg address pool of a dial-up phase 1 (FortiOS `mode-cfg enable`, `ipv4-start-ip`,
// `ipv4-end-ip`; strongSwan's mem_pool). An address is bound to one lease key (the IKE SA
// instance); asking again with the same key returns the same address, and an address is
// never handed to a second key until it is released (on IKE SA delete). Addresses are numbered
// across the ranges in order; LowestFreeIndex finds the lowest free one without a scan.
using System.Net;

namespace PostureGate.Ike.Config;

public sealed class AddressPool : IAddressPool
{
    private readonly Ipv4Range[] _ranges;
    private readonly Dictionary<string, (uint Address, long Index)> _byKey = new(StringComparer.Ordinal);
    private readonly HashSet<uint> _inUse = [];
    private readonly LowestFreeIndex _free = new();
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
                return Ipv4.ToAddress(held.Address);
            while (_free.TryTake(Capacity, out var index))
            {
                var a = AddressAt(index);
                // Overlapping ranges: an address already leased through an earlier range is skipped
                // (that index stays taken; the address comes back through its first index).
                if (!_inUse.Add(a))
                    continue;
                _byKey[key] = (a, index);
                return Ipv4.ToAddress(a);
            }
            return null;
        }
    }

    /// <summary>Returns the address held by <paramref name="key"/> to the pool; false when it held none.</summary>
    public bool Release(string key)
    {
        lock (_lock)
        {
            if (!_byKey.Remove(key, out var held))
                return false;
            _inUse.Remove(held.Address);
            _free.Return(held.Index);
            return true;
        }
    }

    public IPAddress? LeaseOf(string key)
    {
        lock (_lock)
            return _byKey.TryGetValue(key, out var held) ? Ipv4.ToAddress(held.Address) : null;
    }

    private uint AddressAt(long index)
    {
        foreach (var r in _ranges)
        {
            if (index < r.Count)
                return (uint)(r.First + index);
            index -= r.Count;
        }
        throw new ArgumentOutOfRangeException(nameof(index));
    }
}
