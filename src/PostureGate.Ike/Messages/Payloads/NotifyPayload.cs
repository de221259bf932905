// RFC 7296 §3.10 Notify Payload
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Next Payload  |C|  RESERVED   |         Payload Length        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |  Protocol ID  |   SPI Size    |      Notify Message Type      |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                Security Parameter Index (SPI)                 ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                       Notification Data                       ~
using System.Buffers.Binary;

namespace PostureGate.Ike.Messages.Payloads;

public sealed class NotifyPayload : IkePayload
{
    public NotifyPayload(NotifyType notifyType, byte[]? data = null, ProtocolId protocol = ProtocolId.None, byte[]? spi = null)
    {
        NotifyType = notifyType;
        Data = data ?? [];
        Protocol = protocol;
        Spi = spi ?? [];
    }

    public NotifyType NotifyType { get; }
    public ProtocolId Protocol { get; }
    public byte[] Spi { get; }
    public byte[] Data { get; }

    public bool IsError => NotifyType.IsError();

    public override PayloadType Type => PayloadType.Notify;
    public override int BodyLength => 4 + Spi.Length + Data.Length;

    /// <summary>REKEY_SA and friends name an ESP SA by its four-octet SPI (§3.10).</summary>
    public static NotifyPayload ForEspSpi(NotifyType type, uint spi, byte[]? data = null)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, spi);
        return new NotifyPayload(type, data, ProtocolId.Esp, bytes);
    }

    /// <summary>The answer for an <see cref="IkeError"/>: its type and notification data.</summary>
    public static NotifyPayload FromError(IkeError error) => new(error.Notify, error.NotificationData);

    public static bool TryParse(ReadOnlySpan<byte> body, out NotifyPayload? payload, out IkeError error)
    {
        if (body.Length < 4 || body.Length < 4 + body[1])
            return Fail("N: too short", out payload, out error);
        var spiSize = body[1];
        payload = new NotifyPayload((NotifyType)BinaryPrimitives.ReadUInt16BigEndian(body[2..]),
            body[(4 + spiSize)..].ToArray(), (ProtocolId)body[0], body.Slice(4, spiSize).ToArray());
        error = default;
        return true;
    }

    public override void WriteBody(Span<byte> destination)
    {
        destination[0] = (byte)Protocol;
        destination[1] = checked((byte)Spi.Length);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)NotifyType);
        Spi.CopyTo(destination[4..]);
        Data.CopyTo(destination[(4 + Spi.Length)..]);
    }

    public override bool Verify(out IkeError error)
    {
        string? reason = null;
        // §3.10: SPI Size is 0 for IKE-SA notifications, else the SPI size of the protocol.
        if (Spi.Length is not (0 or 4 or 8))
            reason = $"SPI size {Spi.Length}";
        else
        {
            reason = NotifyType switch
            {
                // §2.23: SHA-1 output.
                NotifyType.NatDetectionSourceIp or NotifyType.NatDetectionDestinationIp when Data.Length != 20 => "NAT detection hash is not 20 octets",
                // §2.6: "Cookies ... MUST be between 1 and 64 octets".
                NotifyType.Cookie when Data.Length is < 1 or > 64 => "COOKIE length outside 1..64",
                // §1.3/§3.10.1: the accepted group number.
                NotifyType.InvalidKePayload when Data.Length != 2 => "INVALID_KE_PAYLOAD data is not a group number",
                // RFC 7427 §4: a list of 16-bit hash algorithm numbers.
                NotifyType.SignatureHashAlgorithms when Data.Length % 2 != 0 => "odd SIGNATURE_HASH_ALGORITHMS data",
                // RFC 7383 §2.3: no data.
                NotifyType.Ikev2FragmentationSupported when Data.Length != 0 => "IKEV2_FRAGMENTATION_SUPPORTED with data",
                // §1.3.3: the SA to rekey is named by protocol and SPI.
                NotifyType.RekeySa when Protocol is not (ProtocolId.Esp or ProtocolId.Ah) || Spi.Length != 4 => "REKEY_SA without an ESP/AH SPI",
                _ => null,
            };
        }
        error = reason is null ? default : IkeError.Syntax($"N({NotifyType.IanaName()}): {reason}");
        return reason is null;
    }

    public override string Summary => $"N({NotifyType.IanaName()})";
}
