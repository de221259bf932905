// RFC 7296 §3.5: Identification payload contents (ID Type + data). Kept here, not in the
// codec, because it is configuration (FortiOS `localid`, `peerid`) as much as wire data.
using System.Net;
using System.Text;

namespace PostureGate.Ike.Config;

/// <summary>RFC 7296 §3.5 ID Type values.</summary>
public enum IkeIdentityType : byte
{
    Ipv4Address = 1,
    Fqdn = 2,
    Rfc822Address = 3,
    Ipv6Address = 5,
    DerAsn1Dn = 9,
    DerAsn1Gn = 10,
    KeyId = 11,
}

public sealed record IkeIdentity(IkeIdentityType Type, byte[] Data)
{
    public static IkeIdentity FromAddress(IPAddress address) => new(
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? IkeIdentityType.Ipv6Address : IkeIdentityType.Ipv4Address,
        address.GetAddressBytes());

    public static IkeIdentity Fqdn(string name) => new(IkeIdentityType.Fqdn, Encoding.ASCII.GetBytes(name));

    public static IkeIdentity Email(string name) => new(IkeIdentityType.Rfc822Address, Encoding.ASCII.GetBytes(name));

    /// <summary>strongSwan's rule: an IP literal becomes ID_IPV4/6_ADDR, '@' ID_RFC822_ADDR, else ID_FQDN.</summary>
    public static IkeIdentity FromString(string text) =>
        IPAddress.TryParse(text, out var a) ? FromAddress(a) : text.Contains('@') ? Email(text) : Fqdn(text);

    /// <summary>FortiOS debug spelling: "IPV4_ADDR 198.51.100.2", "FQDN alice".</summary>
    public string TypeName => Type switch
    {
        IkeIdentityType.Ipv4Address => "IPV4_ADDR",
        IkeIdentityType.Ipv6Address => "IPV6_ADDR",
        IkeIdentityType.Fqdn => "FQDN",
        IkeIdentityType.Rfc822Address => "USER_FQDN",
        IkeIdentityType.DerAsn1Dn => "DER_ASN1_DN",
        IkeIdentityType.KeyId => "KEY_ID",
        _ => ((byte)Type).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public string Text => Type switch
    {
        IkeIdentityType.Ipv4Address when Data.Length == 4 => new IPAddress(Data).ToString(),
        IkeIdentityType.Ipv6Address when Data.Length == 16 => new IPAddress(Data).ToString(),
        IkeIdentityType.Fqdn or IkeIdentityType.Rfc822Address => Encoding.ASCII.GetString(Data),
        _ => Convert.ToHexString(Data),
    };

    public bool Matches(IkeIdentity other) => Type == other.Type && Data.AsSpan().SequenceEqual(other.Data);

    public bool Equals(IkeIdentity? other) => other is not null && Matches(other);

    public override int GetHashCode() => HashCode.Combine(Type, Data.Length);

    public override string ToString() => $"{TypeName} {Text}";
}
