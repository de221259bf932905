// RFC 7296 §3.13.1 Traffic Selector
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |   TS Type     |IP Protocol ID*|       Selector Length         |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |           Start Port*         |           End Port*           |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                         Starting Address*                     ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                         Ending Address*                       ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace PostureGate.Ike.Messages.Payloads;

/// <summary>TS_IPV4_ADDR_RANGE (7) and TS_IPV6_ADDR_RANGE (8).</summary>
public enum TrafficSelectorType : byte
{
    Ipv4AddressRange = 7,
    Ipv6AddressRange = 8,
}

/// <summary>
/// An address range, port range and IP protocol (0 = any). Addresses are held as big-endian
/// integers so containment and intersection (RFC 7296 §2.9 narrowing) are comparisons.
/// </summary>
public readonly record struct TrafficSelector(
    TrafficSelectorType TsType,
    byte IpProtocol,
    ushort StartPort,
    ushort EndPort,
    UInt128 StartAddress,
    UInt128 EndAddress)
{
    public const int Ipv4Length = 16;
    public const int Ipv6Length = 40;

    public bool IsIpv6 => TsType == TrafficSelectorType.Ipv6AddressRange;
    public int EncodedLength => IsIpv6 ? Ipv6Length : Ipv4Length;
    private int AddressLength => IsIpv6 ? 16 : 4;

    /// <summary>§3.13.1: start port 65535 with end port 0 means OPAQUE (ports not available).</summary>
    public bool IsOpaquePorts => StartPort == ushort.MaxValue && EndPort == 0;

    public IPAddress Start => ToAddress(StartAddress, IsIpv6);
    public IPAddress End => ToAddress(EndAddress, IsIpv6);

    public static TrafficSelector Create(IPAddress start, IPAddress end, byte ipProtocol = 0, ushort startPort = 0, ushort endPort = ushort.MaxValue)
    {
        if (start.AddressFamily != end.AddressFamily)
            throw new ArgumentException("start and end addresses of different families");
        var v6 = start.AddressFamily == AddressFamily.InterNetworkV6;
        return new TrafficSelector(v6 ? TrafficSelectorType.Ipv6AddressRange : TrafficSelectorType.Ipv4AddressRange,
            ipProtocol, startPort, endPort, FromAddress(start), FromAddress(end));
    }

    /// <summary>A whole subnet, e.g. 203.0.113.0/24, any protocol and port.</summary>
    public static TrafficSelector FromPrefix(IPAddress network, int prefixLength, byte ipProtocol = 0)
    {
        var v6 = network.AddressFamily == AddressFamily.InterNetworkV6;
        var bits = v6 ? 128 : 32;
        if (prefixLength < 0 || prefixLength > bits)
            throw new ArgumentOutOfRangeException(nameof(prefixLength));
        var all = v6 ? UInt128.MaxValue : uint.MaxValue;
        var host = prefixLength == bits ? UInt128.Zero : (all >> prefixLength);
        var start = FromAddress(network) & ~host & all;
        return new TrafficSelector(v6 ? TrafficSelectorType.Ipv6AddressRange : TrafficSelectorType.Ipv4AddressRange,
            ipProtocol, 0, ushort.MaxValue, start, start | host);
    }

    /// <summary>0.0.0.0-255.255.255.255 or ::-ffff:…, what strongSwan sends as TSi when asking for a virtual IP.</summary>
    public static TrafficSelector Any(bool ipv6 = false) => FromPrefix(ipv6 ? IPAddress.IPv6Any : IPAddress.Any, 0);

    public bool Contains(IPAddress address)
    {
        if ((address.AddressFamily == AddressFamily.InterNetworkV6) != IsIpv6)
            return false;
        var value = FromAddress(address);
        return value >= StartAddress && value <= EndAddress;
    }

    /// <summary>Whether every packet <paramref name="other"/> allows is allowed by this selector too.</summary>
    public bool Contains(TrafficSelector other) =>
        TryIntersect(other, out var overlap) && overlap == other;

    /// <summary>
    /// The selector both allow (§2.9: the responder narrows to a subset of what was proposed), or false
    /// when they share nothing. Protocol 0 is a wildcard; OPAQUE ports only meet the full range or OPAQUE.
    /// </summary>
    public bool TryIntersect(TrafficSelector other, out TrafficSelector intersection)
    {
        intersection = default;
        if (TsType != other.TsType)
            return false;
        if (IpProtocol != 0 && other.IpProtocol != 0 && IpProtocol != other.IpProtocol)
            return false;
        var protocol = IpProtocol != 0 ? IpProtocol : other.IpProtocol;
        var start = UInt128.Max(StartAddress, other.StartAddress);
        var end = UInt128.Min(EndAddress, other.EndAddress);
        if (start > end)
            return false;
        ushort startPort, endPort;
        if (IsOpaquePorts || other.IsOpaquePorts)
        {
            if (!(IsOpaquePorts || IsFullPortRange) || !(other.IsOpaquePorts || other.IsFullPortRange))
                return false;
            (startPort, endPort) = (ushort.MaxValue, 0);
        }
        else
        {
            startPort = Math.Max(StartPort, other.StartPort);
            endPort = Math.Min(EndPort, other.EndPort);
            if (startPort > endPort)
                return false;
        }
        intersection = new TrafficSelector(TsType, protocol, startPort, endPort, start, end);
        return true;
    }

    /// <summary>§2.9 narrowing of a proposed list against local policy: every non-empty pairwise intersection.</summary>
    public static List<TrafficSelector> Narrow(IEnumerable<TrafficSelector> proposed, IReadOnlyList<TrafficSelector> allowed)
    {
        var result = new List<TrafficSelector>();
        foreach (var p in proposed)
            foreach (var a in allowed)
                if (p.TryIntersect(a, out var i) && !result.Contains(i))
                    result.Add(i);
        return result;
    }

    private bool IsFullPortRange => StartPort == 0 && EndPort == ushort.MaxValue;

    internal static bool TryRead(ReadOnlySpan<byte> source, out TrafficSelector selector, out int consumed, out string? error)
    {
        selector = default;
        consumed = 0;
        if (source.Length < 4)
        {
            error = "traffic selector truncated";
            return false;
        }
        var type = (TrafficSelectorType)source[0];
        var length = BinaryPrimitives.ReadUInt16BigEndian(source[2..]);
        var expected = type switch
        {
            TrafficSelectorType.Ipv4AddressRange => Ipv4Length,
            TrafficSelectorType.Ipv6AddressRange => Ipv6Length,
            _ => -1,
        };
        if (expected < 0)
        {
            error = $"unsupported TS type {(byte)type}";
            return false;
        }
        if (length != expected || source.Length < length)
        {
            error = $"TS length {length} for {type}";
            return false;
        }
        var addressLength = (length - 8) / 2;
        selector = new TrafficSelector(type, source[1],
            BinaryPrimitives.ReadUInt16BigEndian(source[4..]), BinaryPrimitives.ReadUInt16BigEndian(source[6..]),
            ReadAddress(source.Slice(8, addressLength)), ReadAddress(source.Slice(8 + addressLength, addressLength)));
        consumed = length;
        error = null;
        return true;
    }

    internal int Write(Span<byte> destination)
    {
        destination[0] = (byte)TsType;
        destination[1] = IpProtocol;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)EncodedLength);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], StartPort);
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], EndPort);
        WriteAddress(StartAddress, destination.Slice(8, AddressLength));
        WriteAddress(EndAddress, destination.Slice(8 + AddressLength, AddressLength));
        return EncodedLength;
    }

    /// <summary>§3.13.1 semantic checks: ordered address range, and a port range unless OPAQUE.</summary>
    internal bool Verify(out string? error)
    {
        if (!Enum.IsDefined(TsType))
            error = $"TS type {(byte)TsType}";
        else if (StartAddress > EndAddress)
            error = $"TS start address {Start} above end address {End}";
        else if (StartPort > EndPort && !IsOpaquePorts)
            error = $"TS start port {StartPort} above end port {EndPort}";
        else if (!IsIpv6 && EndAddress > uint.MaxValue)
            error = "TS IPv4 address out of range";
        else
            error = null;
        return error is null;
    }

    private static UInt128 ReadAddress(ReadOnlySpan<byte> bytes) =>
        bytes.Length == 4 ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt128BigEndian(bytes);

    private static void WriteAddress(UInt128 value, Span<byte> destination)
    {
        if (destination.Length == 4)
            BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)value);
        else
            BinaryPrimitives.WriteUInt128BigEndian(destination, value);
    }

    private static UInt128 FromAddress(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written))
            throw new ArgumentException("address does not fit", nameof(address));
        return ReadAddress(bytes[..written]);
    }

    private static IPAddress ToAddress(UInt128 value, bool ipv6)
    {
        Span<byte> bytes = stackalloc byte[ipv6 ? 16 : 4];
        WriteAddress(value, bytes);
        return new IPAddress(bytes);
    }

    public override string ToString()
    {
        var range = StartAddress == EndAddress ? $"{Start}/{(IsIpv6 ? 128 : 32)}" : $"{Start}-{End}";
        var proto = IpProtocol == 0 ? "" : $"[{IpProtocol}]";
        var ports = IsOpaquePorts ? "[OPAQUE]" : StartPort == 0 && EndPort == ushort.MaxValue ? "" : $"[{StartPort}-{EndPort}]";
        return range + proto + ports;
    }
}
