// RFC 7296 §3.15.1 Configuration Attributes
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |R|         Attribute Type      |            Length             |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                                                               |
// ~                             Value                             ~
using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace PostureGate.Ike.Messages.Payloads;

/// <summary>RFC 7296 §3.15.1 attribute types (and RFC 5739 INTERNAL_IP6_LINK/PREFIX are not used here).</summary>
public enum ConfigAttributeType : ushort
{
    InternalIp4Address = 1,
    InternalIp4Netmask = 2,
    InternalIp4Dns = 3,
    InternalIp4Nbns = 4,
    InternalIp4Dhcp = 6,
    ApplicationVersion = 7,
    InternalIp6Address = 8,
    InternalIp6Dns = 10,
    InternalIp6Dhcp = 12,
    InternalIp4Subnet = 13,
    SupportedAttributes = 14,
    InternalIp6Subnet = 15,
}

/// <summary>One attribute; unknown and private types (e.g. 16400 from some servers) are kept as raw values.</summary>
public readonly record struct ConfigAttribute(ConfigAttributeType AttributeType, byte[] Value)
{
    private const ushort ReservedBit = 0x8000;

    public int EncodedLength => 4 + Value.Length;

    /// <summary>An empty attribute, as a CFG_REQUEST asks for a value ("INTERNAL_IP4_ADDRESS, length 0").</summary>
    public static ConfigAttribute Request(ConfigAttributeType type) => new(type, []);

    public static ConfigAttribute Address(ConfigAttributeType type, IPAddress address) => new(type, address.GetAddressBytes());

    /// <summary>INTERNAL_IP6_ADDRESS / INTERNAL_IP6_SUBNET: 16-octet address and prefix length (§3.15.1).</summary>
    public static ConfigAttribute Ip6WithPrefix(ConfigAttributeType type, IPAddress address, byte prefixLength)
    {
        var value = new byte[17];
        address.GetAddressBytes().CopyTo(value, 0);
        value[16] = prefixLength;
        return new ConfigAttribute(type, value);
    }

    /// <summary>INTERNAL_IP4_SUBNET: address and netmask, eight octets.</summary>
    public static ConfigAttribute Ip4Subnet(IPAddress network, IPAddress netmask) =>
        new(ConfigAttributeType.InternalIp4Subnet, [.. network.GetAddressBytes(), .. netmask.GetAddressBytes()]);

    public static ConfigAttribute ApplicationVersion(string version) =>
        new(ConfigAttributeType.ApplicationVersion, Encoding.ASCII.GetBytes(version));

    /// <summary>The address of an IPv4/IPv6 address-valued attribute, or null when empty or not an address.</summary>
    public IPAddress? AddressValue => Value.Length switch
    {
        4 => new IPAddress(Value),
        16 or 17 when AttributeType is ConfigAttributeType.InternalIp6Address or ConfigAttributeType.InternalIp6Dns
            or ConfigAttributeType.InternalIp6Dhcp or ConfigAttributeType.InternalIp6Subnet => new IPAddress(Value.AsSpan(0, 16)),
        _ => null,
    };

    internal static bool TryRead(ReadOnlySpan<byte> source, out ConfigAttribute attribute, out int consumed)
    {
        attribute = default;
        consumed = 0;
        if (source.Length < 4)
            return false;
        var length = BinaryPrimitives.ReadUInt16BigEndian(source[2..]);
        if (source.Length - 4 < length)
            return false;
        // §3.15.1: the R bit MUST be ignored on receipt.
        var type = (ConfigAttributeType)(BinaryPrimitives.ReadUInt16BigEndian(source) & ~ReservedBit);
        attribute = new ConfigAttribute(type, source.Slice(4, length).ToArray());
        consumed = 4 + length;
        return true;
    }

    internal int Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)((ushort)AttributeType & ~ReservedBit));
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], checked((ushort)Value.Length));
        Value.CopyTo(destination[4..]);
        return EncodedLength;
    }

    /// <summary>§3.15.1 lengths: each known type is empty (a request) or has its fixed size.</summary>
    internal bool Verify(out string? error)
    {
        var ok = AttributeType switch
        {
            ConfigAttributeType.InternalIp4Address or ConfigAttributeType.InternalIp4Netmask or ConfigAttributeType.InternalIp4Dns
                or ConfigAttributeType.InternalIp4Nbns or ConfigAttributeType.InternalIp4Dhcp => Value.Length is 0 or 4,
            ConfigAttributeType.InternalIp6Address or ConfigAttributeType.InternalIp6Subnet => Value.Length is 0 or 17,
            ConfigAttributeType.InternalIp6Dns or ConfigAttributeType.InternalIp6Dhcp => Value.Length is 0 or 16,
            ConfigAttributeType.InternalIp4Subnet => Value.Length is 0 or 8,
            ConfigAttributeType.SupportedAttributes => Value.Length % 2 == 0,
            _ => true,
        };
        error = ok ? null : $"attribute {AttributeType} with {Value.Length} octets";
        return ok;
    }

    public override string ToString() => Enum.IsDefined(AttributeType)
        ? $"{AttributeType}{(AddressValue is { } a ? "=" + a : "")}"
        : $"({(ushort)AttributeType})";
}
