// RFC 7296 §3.5: Identification payload contents (ID Type + data) as configuration. Kept here, not in the
// codec, because it is configuration (FortiOS `localid`, `peerid`) as much as wire data.
using System.Net;
using System.Text;
using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Ike.Config;

public sealed record IkeIdentity(IdType Type, byte[] Data)
{
    public static IkeIdentity FromAddress(IPAddress address) => new(
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? IdType.Ipv6Address : IdType.Ipv4Address,
        address.GetAddressBytes());

    public static IkeIdentity Fqdn(string name) => new(IdType.Fqdn, Encoding.ASCII.GetBytes(name));

    public static IkeIdentity Email(string name) => new(IdType.Rfc822Address, Encoding.ASCII.GetBytes(name));

    /// <summary>strongSwan's rule: an IP literal becomes ID_IPV4/6_ADDR, '@' ID_RFC822_ADDR, else ID_FQDN.</summary>
    public static IkeIdentity FromString(string text) =>
        IPAddress.TryParse(text, out var a) ? FromAddress(a) : text.Contains('@') ? Email(text) : Fqdn(text);

    /// <summary>FortiOS debug spelling: "IPV4_ADDR 198.51.100.2", "FQDN alice".</summary>
    public string TypeName => Type switch
    {
        IdType.Ipv4Address => "IPV4_ADDR",
        IdType.Ipv6Address => "IPV6_ADDR",
        IdType.Fqdn => "FQDN",
        IdType.Rfc822Address => "USER_FQDN",
        IdType.DerAsn1Dn => "DER_ASN1_DN",
        IdType.KeyId => "KEY_ID",
        _ => ((byte)Type).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public string Text => Type switch
    {
        IdType.Ipv4Address when Data.Length == 4 => new IPAddress(Data).ToString(),
        IdType.Ipv6Address when Data.Length == 16 => new IPAddress(Data).ToString(),
        IdType.Fqdn or IdType.Rfc822Address => Encoding.ASCII.GetString(Data),
        _ => Convert.ToHexString(Data),
    };

    public bool Matches(IkeIdentity other) => Type == other.Type && Data.AsSpan().SequenceEqual(other.Data);

    public bool Equals(IkeIdentity? other) => other is not null && Matches(other);

    public override int GetHashCode() => HashCode.Combine(Type, Data.Length);

    public override string ToString() => $"{TypeName} {Text}";
}
