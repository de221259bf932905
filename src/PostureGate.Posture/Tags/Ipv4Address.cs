// IPv4 addresses as host-order integers, the key of every O(1) tag lookup: the posture
// layer's names for the floor's conversions (PostureGate.Net.Ipv4).
using System.Net;
using PostureGate.Net;

namespace PostureGate.Posture;

public static class Ipv4Address
{
    /// <summary>IPv4, or IPv4-mapped IPv6 (a dual-stack socket's view of an IPv4 peer).</summary>
    public static bool TryToUInt32(IPAddress address, out uint value) => Ipv4.TryToUInt32(address, out value);

    public static IPAddress FromUInt32(uint value) => Ipv4.ToAddress(value);

    /// <summary>The IPv4 form of <paramref name="address"/> (unmapping IPv4-mapped IPv6), or the address itself.</summary>
    public static IPAddress Normalize(IPAddress address) => Ipv4.Normalize(address);

    /// <summary>Any address as a big-endian integer (IPv4 in the low 32 bits); <paramref name="bits"/> is 32 or 128.</summary>
    public static UInt128 ToUInt128(IPAddress address, out int bits)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        UInt128 value = 0;
        for (var i = 0; i < written; i++)
            value = (value << 8) | bytes[i];
        bits = written * 8;
        return value;
    }
}
