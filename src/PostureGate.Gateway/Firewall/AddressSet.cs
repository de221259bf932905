// A firewall address as the policy engine matches it: IPv4 ranges (ipmask,
// iprange, `all`), or a dynamic set resolved at packet time (EMS ZTNA tags).
// Ranges are kept sorted and merged so a lookup is a binary search.
namespace PostureGate.Gateway.Firewall;

public interface IAddressMatcher
{
    bool Contains(uint address);
}

public sealed class AddressSet : IAddressMatcher
{
    private readonly uint[] _starts;
    private readonly uint[] _ends;
    private readonly IAddressMatcher[] _dynamic;

    public static AddressSet All { get; } = new([(0u, uint.MaxValue)], []);

    public AddressSet(IEnumerable<(uint Start, uint End)> ranges, IEnumerable<IAddressMatcher> dynamic)
    {
        var merged = new List<(uint Start, uint End)>();
        foreach (var r in ranges.Where(r => r.Start <= r.End).OrderBy(r => r.Start))
        {
            if (merged.Count > 0 && (ulong)r.Start <= (ulong)merged[^1].End + 1)
                merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, r.End));
            else
                merged.Add(r);
        }
        _starts = merged.Select(r => r.Start).ToArray();
        _ends = merged.Select(r => r.End).ToArray();
        _dynamic = dynamic.ToArray();
    }

    public bool IsAll => _starts.Length == 1 && _starts[0] == 0 && _ends[0] == uint.MaxValue;

    public bool Contains(uint address)
    {
        var i = Array.BinarySearch(_starts, address);
        if (i < 0)
            i = ~i - 1;
        if (i >= 0 && address <= _ends[i])
            return true;
        foreach (var d in _dynamic)
            if (d.Contains(address))
                return true;
        return false;
    }
}
