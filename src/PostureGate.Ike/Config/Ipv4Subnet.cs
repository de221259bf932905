// An IPv4 network as FortiOS writes it ("203.0.113.0 255.255.255.0" or "203.0.113.0/24"),
// used for split-include networks, child local selectors and remote-gw-match ipmask.
using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace PostureGate.Ike.Config;

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

/// <summary>Host-order IPv4 helpers shared by the pool, the selectors and the snapshot.</summary>
public static class Ipv4
{
    public static uint ToUInt32(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork)
            throw new ArgumentException("IPv4 address expected", nameof(address));
        Span<byte> b = stackalloc byte[4];
        address.TryWriteBytes(b, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(b);
    }

    public static IPAddress ToAddress(uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, value);
        return new IPAddress(b);
    }

    public static bool TryParse(string text, out uint value)
    {
        value = 0;
        if (!IPAddress.TryParse(text, out var a) || a.AddressFamily != AddressFamily.InterNetwork || text.Count(c => c == '.') != 3)
            return false;
        value = ToUInt32(a);
        return true;
    }
}
