// IPv4 addresses (RFC 791 §3.2) as host-order 32-bit integers: the one conversion every
// layer's prefix, range and lookup arithmetic is built on.
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace PostureGate.Net;

/// <summary>IPv4 addresses as host-order integers (the first octet in the high byte).</summary>
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

    /// <summary>IPv4, or IPv4-mapped IPv6 (a dual-stack socket's view of an IPv4 peer); false for other addresses.</summary>
    public static bool TryToUInt32(IPAddress address, out uint value)
    {
        address = Normalize(address);
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            value = 0;
            return false;
        }
        value = ToUInt32(address);
        return true;
    }

    /// <summary>The IPv4 form of <paramref name="address"/> (unmapping IPv4-mapped IPv6), or the address itself.</summary>
    public static IPAddress Normalize(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 && address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

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
