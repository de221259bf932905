// IPv4 addresses as host-order integers: the key of every O(1) tag lookup.
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace PostureGate.Posture;

public static class Ipv4Address
{
    /// <summary>IPv4, or IPv4-mapped IPv6 (a dual-stack socket's view of an IPv4 peer).</summary>
    public static bool TryToUInt32(IPAddress address, out uint value)
    {
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            value = 0;
            return false;
        }
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        value = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        return true;
    }

    public static IPAddress FromUInt32(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }

    /// <summary>The IPv4 form of <paramref name="address"/> (unmapping IPv4-mapped IPv6), or the address itself.</summary>
    public static IPAddress Normalize(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 && address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

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
