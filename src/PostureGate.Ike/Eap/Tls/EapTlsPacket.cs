// RFC 5216 §3.1 (Request) / §3.2 (Response): the Type-Data of an EAP-TLS packet (Type 13).
//
//    0                   1                   2                   3
//    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |     Code      |   Identifier  |            Length             |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |     Type      |     Flags     |      TLS Message Length
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |     TLS Message Length        |       TLS Data...
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// The TLS Message Length is present only with the L flag. A response with no flags and no data
// acknowledges a fragment (§2.1.5). Parsing slices without copying; failure leaves defaults.
using System.Buffers.Binary;

namespace PostureGate.Ike.Eap.Tls;

public readonly ref struct EapTlsPacket
{
    private const int FlagsLength = 1;
    private const int MessageLengthLength = 4;

    private EapTlsPacket(EapTlsFlags flags, uint? messageLength, ReadOnlySpan<byte> data)
    {
        Flags = flags;
        MessageLength = messageLength;
        Data = data;
    }

    public EapTlsFlags Flags { get; }

    /// <summary>The TLS Message Length field (L flag): the whole TLS message or flight this fragment belongs to.</summary>
    public uint? MessageLength { get; }

    /// <summary>This packet's TLS data, pointing into the input.</summary>
    public ReadOnlySpan<byte> Data { get; }

    public bool Has(EapTlsFlags flag) => (Flags & flag) != 0;

    /// <summary>§2.1.5: an acknowledgement is an EAP-TLS packet with no data and none of L, M, S.</summary>
    public bool IsAcknowledgement => Data.IsEmpty && (Flags & (EapTlsFlags.LengthIncluded | EapTlsFlags.MoreFragments | EapTlsFlags.Start)) == 0;

    /// <summary>Parses the Type-Data of an EAP packet whose Type is 13.</summary>
    public static bool TryParse(ReadOnlySpan<byte> typeData, out EapTlsPacket packet)
    {
        packet = default;
        if (typeData.Length < FlagsLength)
            return false;
        var flags = (EapTlsFlags)(typeData[0] & (byte)(EapTlsFlags.LengthIncluded | EapTlsFlags.MoreFragments | EapTlsFlags.Start));
        var rest = typeData[FlagsLength..];
        uint? length = null;
        if ((flags & EapTlsFlags.LengthIncluded) != 0)
        {
            if (rest.Length < MessageLengthLength)
                return false;
            length = BinaryPrimitives.ReadUInt32BigEndian(rest);
            rest = rest[MessageLengthLength..];
        }
        packet = new EapTlsPacket(flags, length, rest);
        return true;
    }

    /// <summary>A whole EAP packet of Type EAP-TLS: flags, the TLS Message Length when given (sets L), then the data.</summary>
    public static byte[] Create(EapCode code, byte identifier, EapTlsFlags flags, uint? messageLength, ReadOnlySpan<byte> data)
    {
        Span<byte> header = stackalloc byte[FlagsLength + MessageLengthLength];
        if (messageLength is { } total)
        {
            flags |= EapTlsFlags.LengthIncluded;
            BinaryPrimitives.WriteUInt32BigEndian(header[FlagsLength..], total);
        }
        else
        {
            flags &= ~EapTlsFlags.LengthIncluded;
        }
        header[0] = (byte)flags;
        return EapPacket.Create(code, identifier, EapType.Tls, header[..(messageLength is null ? FlagsLength : header.Length)], data);
    }
}
