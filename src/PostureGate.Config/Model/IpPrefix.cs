// An IPv4 address with its prefix length as `config system interface` and `config firewall
// address` write it; the arithmetic is the floor's (PostureGate.Net).
using System.Net;
using PostureGate.Net;

namespace PostureGate.Config.Model;

/// <summary>
/// An IPv4 address with a prefix length: an interface address (host bits kept,
/// <c>set ip 192.0.2.1 255.255.255.0</c>) or a subnet (<c>set subnet 10.0.0.0 255.0.0.0</c>).
/// </summary>
public readonly record struct IpPrefix(IPAddress Address, int PrefixLength)
{
    public static IpPrefix Any { get; } = new(IPAddress.Any, 0);

    public uint Mask => Ipv4Subnet.MaskOf(PrefixLength);

    public IPAddress Netmask => ToAddress(Mask);

    /// <summary>The network: host bits cleared.</summary>
    public IPAddress Network => ToAddress(ToUInt32(Address) & Mask);

    public bool Contains(IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork &&
        (ToUInt32(address) & Mask) == (ToUInt32(Address) & Mask);

    public override string ToString() => $"{Address}/{PrefixLength}";

    /// <summary>The IPv4 address as an integer; 0 for any other address (callers check the family where it matters).</summary>
    internal static uint ToUInt32(IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? Ipv4.ToUInt32(address) : 0;

    internal static IPAddress ToAddress(uint value) => Ipv4.ToAddress(value);
}
