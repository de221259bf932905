using System.Buffers.Binary;
using System.Net;

namespace PostureGate.Config.Model;

/// <summary>
/// An IPv4 address with a prefix length: an interface address (host bits kept,
/// <c>set ip 192.0.2.1 255.255.255.0</c>) or a subnet (<c>set subnet 10.0.0.0 255.0.0.0</c>).
/// </summary>
public readonly record struct IpPrefix(IPAddress Address, int PrefixLength)
{
    public static IpPrefix Any { get; } = new(IPAddress.Any, 0);

    public uint Mask => PrefixLength == 0 ? 0u : uint.MaxValue << (32 - PrefixLength);

    public IPAddress Netmask => ToAddress(Mask);

    /// <summary>The network: host bits cleared.</summary>
    public IPAddress Network => ToAddress(ToUInt32(Address) & Mask);

    public bool Contains(IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork &&
        (ToUInt32(address) & Mask) == (ToUInt32(Address) & Mask);

    public override string ToString() => $"{Address}/{PrefixLength}";

    internal static uint ToUInt32(IPAddress address)
    {
        Span<byte> b = stackalloc byte[4];
        address.TryWriteBytes(b, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(b);
    }

    internal static IPAddress ToAddress(uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, value);
        return new IPAddress(b);
    }
}
