// RFC 7296 §3.5 Identification Payloads (IDi 35, IDr 36)
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Next Payload  |C|  RESERVED   |         Payload Length        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |   ID Type     |                 RESERVED                      |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                   Identification Data                         ~
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PostureGate.Ike.Messages.Payloads;

public sealed class IdPayload : IkePayload
{
    private readonly PayloadType _type;

    /// <param name="payloadType">IDi (35) or IDr (36).</param>
    public IdPayload(PayloadType payloadType, IdType idType, byte[] data)
    {
        if (payloadType is not (PayloadType.IdInitiator or PayloadType.IdResponder))
            throw new ArgumentException("an ID payload is IDi or IDr", nameof(payloadType));
        _type = payloadType;
        IdType = idType;
        Data = data;
    }

    public IdType IdType { get; }
    public byte[] Data { get; }

    public override PayloadType Type => _type;
    public override int BodyLength => 4 + Data.Length;

    public static IdPayload FromAddress(PayloadType payloadType, IPAddress address) =>
        new(payloadType, address.AddressFamily == AddressFamily.InterNetworkV6 ? IdType.Ipv6Address : IdType.Ipv4Address,
            address.GetAddressBytes());

    public static IdPayload FromFqdn(PayloadType payloadType, string fqdn) =>
        new(payloadType, IdType.Fqdn, Encoding.ASCII.GetBytes(fqdn));

    public static IdPayload FromEmail(PayloadType payloadType, string address) =>
        new(payloadType, IdType.Rfc822Address, Encoding.ASCII.GetBytes(address));

    public static IdPayload FromKeyId(PayloadType payloadType, byte[] keyId) => new(payloadType, IdType.KeyId, keyId);

    public static bool TryParse(PayloadType payloadType, ReadOnlySpan<byte> body, out IdPayload? payload, out IkeError error)
    {
        if (body.Length < 4)
            return Fail("ID: too short", out payload, out error);
        payload = new IdPayload(payloadType, (IdType)body[0], body[4..].ToArray());
        error = default;
        return true;
    }

    public override void WriteBody(Span<byte> destination)
    {
        destination[0] = (byte)IdType;
        destination.Slice(1, 3).Clear();
        Data.CopyTo(destination[4..]);
    }

    public override bool Verify(out IkeError error)
    {
        // §3.5: the data's form is fixed by the type.
        var ok = IdType switch
        {
            IdType.Ipv4Address => Data.Length == 4,
            IdType.Ipv6Address => Data.Length == 16,
            IdType.Fqdn or IdType.Rfc822Address => Data.Length > 0 && Data.All(b => b is > 0x20 and < 0x7F),
            _ => Data.Length > 0,
        };
        error = ok ? default : IkeError.Syntax($"ID: malformed {IdType} ({Data.Length} octets)");
        return ok;
    }

    /// <summary>The address of an ID_IPV4_ADDR / ID_IPV6_ADDR identity, otherwise null.</summary>
    public IPAddress? Address => IdType switch
    {
        IdType.Ipv4Address when Data.Length == 4 => new IPAddress(Data),
        IdType.Ipv6Address when Data.Length == 16 => new IPAddress(Data),
        _ => null,
    };

    /// <summary>The identity's value alone: "172.16.200.242", "alice", "user@example.com", hex for KEY_ID.</summary>
    public string ValueText => IdType switch
    {
        IdType.Ipv4Address or IdType.Ipv6Address => Address?.ToString() ?? Convert.ToHexStringLower(Data),
        IdType.Fqdn or IdType.Rfc822Address => Encoding.ASCII.GetString(Data),
        _ => Convert.ToHexStringLower(Data),
    };

    /// <summary>The ID type without "ID_" as FortiOS prints it ("IPV4_ADDR"; seen in the seed document), others by RFC name.</summary>
    public string TypeText => IdType switch
    {
        IdType.Ipv4Address => "IPV4_ADDR",
        IdType.Ipv6Address => "IPV6_ADDR",
        IdType.Fqdn => "FQDN",
        IdType.Rfc822Address => "RFC822_ADDR",
        IdType.DerAsn1Dn => "DER_ASN1_DN",
        IdType.DerAsn1Gn => "DER_ASN1_GN",
        IdType.KeyId => "KEY_ID",
        _ => ((byte)IdType).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>FortiOS' form, as in "peer identifier IPV4_ADDR 172.16.200.242".</summary>
    public override string ToString() => $"{TypeText} {ValueText}";
}
