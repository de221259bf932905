// RFC 7296 §3.1 The IKE Header
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                       IKE SA Initiator's SPI                  |
// |                                                               |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                       IKE SA Responder's SPI                  |
// |                                                               |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |  Next Payload | MjVer | MnVer | Exchange Type |     Flags     |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                          Message ID                           |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                            Length                             |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
using System.Buffers.Binary;

namespace PostureGate.Ike.Messages;

public readonly record struct IkeHeader(
    ulong InitiatorSpi,
    ulong ResponderSpi,
    PayloadType NextPayload,
    ExchangeType Exchange,
    IkeHeaderFlags Flags,
    uint MessageId,
    uint Length,
    byte Version = IkeHeader.Ikev2Version)
{
    public const int Size = 28;

    /// <summary>MjVer 2, MnVer 0 (RFC 7296 §3.1).</summary>
    public const byte Ikev2Version = 0x20;

    public int MajorVersion => Version >> 4;
    public int MinorVersion => Version & 0x0F;
    public bool IsInitiator => (Flags & IkeHeaderFlags.Initiator) != 0;
    public bool IsResponse => (Flags & IkeHeaderFlags.Response) != 0;

    /// <summary>
    /// Reads the fixed header. Fails only when fewer than 28 octets are given;
    /// version, exchange and length checks are <see cref="Verify"/>'s.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out IkeHeader header)
    {
        if (source.Length < Size)
        {
            header = default;
            return false;
        }
        header = new IkeHeader(
            BinaryPrimitives.ReadUInt64BigEndian(source),
            BinaryPrimitives.ReadUInt64BigEndian(source[8..]),
            (PayloadType)source[16],
            (ExchangeType)source[18],
            (IkeHeaderFlags)source[19],
            BinaryPrimitives.ReadUInt32BigEndian(source[20..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[24..]),
            source[17]);
        return true;
    }

    public void Write(Span<byte> destination)
    {
        if (destination.Length < Size)
            throw new ArgumentException("destination shorter than the IKE header", nameof(destination));
        BinaryPrimitives.WriteUInt64BigEndian(destination, InitiatorSpi);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], ResponderSpi);
        destination[16] = (byte)NextPayload;
        destination[17] = Version;
        destination[18] = (byte)Exchange;
        destination[19] = (byte)Flags;
        BinaryPrimitives.WriteUInt32BigEndian(destination[20..], MessageId);
        BinaryPrimitives.WriteUInt32BigEndian(destination[24..], Length);
    }

    /// <summary>Semantic checks against the datagram that carried the header.</summary>
    public bool Verify(int datagramLength, out IkeError error)
    {
        // §2.5: a higher major version MUST be dropped (INVALID_MAJOR_VERSION may be
        // sent); a lower one is IKEv1, which this gateway does not speak either.
        if (MajorVersion != 2)
        {
            error = IkeError.MajorVersion(MajorVersion);
            return false;
        }
        // §3.1: Length is the total message length; anything else is a framing error.
        if (Length != (uint)datagramLength || Length < Size)
        {
            error = IkeError.Syntax($"header length {Length} but datagram is {datagramLength} octets");
            return false;
        }
        if (!Enum.IsDefined(Exchange))
        {
            error = IkeError.Syntax($"unsupported exchange type {(byte)Exchange}");
            return false;
        }
        // §3.1: IKE_SA_INIT carries Message ID 0, and the request a zero responder SPI ("MUST be zero in
        // the first message of an IKE initial exchange (including repeats of that message including a cookie)").
        if (Exchange == ExchangeType.IkeSaInit && (MessageId != 0 || (!IsResponse && ResponderSpi != 0)))
        {
            error = IkeError.Syntax("IKE_SA_INIT request with a non-zero Message ID or responder SPI");
            return false;
        }
        if (InitiatorSpi == 0)
        {
            error = IkeError.Syntax("zero IKE SA initiator SPI");
            return false;
        }
        error = default;
        return true;
    }

    public override string ToString() =>
        $"{Exchange} {(IsResponse ? "rsp" : "req")} {MessageId} [{InitiatorSpi:x16}_i {ResponderSpi:x16}_r]";
}
