// An IPv4 prefix (RFC 4632 §3.1 CIDR notation, or FortiOS's "203.0.113.0 255.255.255.0"):
// split-include networks, selectors, routes, pools, firewall addresses. The one place that
// does prefix arithmetic, including the fewest prefixes covering a range (RFC 4632 §3.2).
using System.Globalization;
using System.Net;

namespace PostureGate.Net;

/// <summary>An IPv4 prefix; <see cref="Network"/> is stored host-order with the host bits cleared.</summary>
public readonly record struct Ipv4Subnet
{
    public uint Network { get; }
    public int PrefixLength { get; }

    public Ipv4Subnet(uint network, int prefixLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(prefixLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefixLength, 32);
        PrefixLength = prefixLength;
        Network = network & MaskOf(prefixLength);
    }

    public static Ipv4Subnet Any { get; } = new(0, 0);

    public uint Mask => MaskOf(PrefixLength);
    public uint First => Network;
    public uint Last => Network | ~Mask;

    public IPAddress NetworkAddress => Ipv4.ToAddress(Network);
    public IPAddress MaskAddress => Ipv4.ToAddress(Mask);

    public bool Contains(uint address) => (address & Mask) == Network;

    public static uint MaskOf(int prefixLength) => prefixLength == 0 ? 0u : uint.MaxValue << (32 - prefixLength);

    /// <summary>The fewest prefixes that cover <paramref name="first"/>..<paramref name="last"/> exactly, in order.</summary>
    public static IEnumerable<Ipv4Subnet> Cover(uint first, uint last)
    {
        var next = (ulong)first;
        while (next <= last)
        {
            // The largest aligned block starting at next that does not pass last.
            var size = next == 0 ? 1UL << 32 : next & (~next + 1);
            while (next + size - 1 > last)
                size >>= 1;
            yield return new Ipv4Subnet((uint)next, 32 - System.Numerics.BitOperations.Log2(size));
            next += size;
        }
    }

    /// <summary>The fewest prefixes that cover <paramref name="first"/>..<paramref name="last"/> (IPv4) exactly.</summary>
    public static IEnumerable<Ipv4Subnet> Cover(IPAddress first, IPAddress last) => Cover(Ipv4.ToUInt32(first), Ipv4.ToUInt32(last));

    /// <summary>Parses "a.b.c.d/n" or "a.b.c.d m.m.m.m"; a non-contiguous mask is refused.</summary>
    public static bool TryParse(string text, out Ipv4Subnet subnet)
    {
        subnet = default;
        var parts = text.Trim().Split(['/', ' '], 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0 || !Ipv4.TryParse(parts[0], out var net))
            return false;
        var prefix = 32;
        if (parts.Length == 2)
        {
            if (parts[1].Contains('.'))
            {
                if (!Ipv4.TryParse(parts[1], out var mask) || !TryPrefixOf(mask, out prefix))
                    return false;
            }
            else if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > 32)
            {
                return false;
            }
        }
        subnet = new Ipv4Subnet(net, prefix);
        return true;
    }

    public static Ipv4Subnet Parse(string text) =>
        TryParse(text, out var s) ? s : throw new FormatException($"not an IPv4 subnet: '{text}'");

    private static bool TryPrefixOf(uint mask, out int prefix)
    {
        prefix = System.Numerics.BitOperations.PopCount(mask);
        return MaskOf(prefix) == mask;
    }

    public override string ToString() => $"{NetworkAddress}/{PrefixLength}";
}
