// RFC 3748 §4 EAP packet format, as carried whole in an IKEv2 EAP payload
// (RFC 7296 §3.16):
//
//    0                   1                   2                   3
//    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |     Code      |  Identifier   |            Length             |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |     Type      |  Type-Data ...
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Request/Response carry a Type (§4.1); Success/Failure are exactly the four
// header octets (§4.2). Parsing slices without copying; a failure returns
// false and leaves the out value default.
using System.Buffers.Binary;

namespace PostureGate.Ike.Eap;

/// <summary>One parsed EAP packet; <see cref="TypeData"/> points into the input.</summary>
public readonly ref struct EapPacket
{
    public const int HeaderLength = 4;

    private EapPacket(EapCode code, byte identifier, int length, EapType type, ReadOnlySpan<byte> typeData)
    {
        Code = code;
        Identifier = identifier;
        Length = length;
        Type = type;
        TypeData = typeData;
    }

    public EapCode Code { get; }

    public byte Identifier { get; }

    /// <summary>The Length field: the whole packet, header included (padding after it excluded).</summary>
    public int Length { get; }

    /// <summary>The method type of a Request/Response; 0 for Success/Failure.</summary>
    public EapType Type { get; }

    /// <summary>Octets after the Type field, up to Length.</summary>
    public ReadOnlySpan<byte> TypeData { get; }

    public bool IsRequestOrResponse => Code is EapCode.Request or EapCode.Response;

    public static bool TryParse(ReadOnlySpan<byte> data, out EapPacket packet)
    {
        packet = default;
        if (data.Length < HeaderLength)
            return false;
        var code = (EapCode)data[0];
        int length = BinaryPrimitives.ReadUInt16BigEndian(data[2..]);
        // §4: "a message with the Length field set to a value larger than the
        // number of received octets MUST be silently discarded"; octets beyond
        // Length are padding and MUST be ignored.
        if (length < HeaderLength || length > data.Length)
            return false;
        data = data[..length];
        switch (code)
        {
            case EapCode.Request or EapCode.Response:
                // §4.1: the Type field is one octet and always present.
                if (length < HeaderLength + 1)
                    return false;
                packet = new EapPacket(code, data[1], length, (EapType)data[4], data[5..]);
                return true;
            case EapCode.Success or EapCode.Failure:
                // §4.2: Success and Failure have no Data; Length is 4.
                if (length != HeaderLength)
                    return false;
                packet = new EapPacket(code, data[1], length, 0, default);
                return true;
            default:
                // §4: unknown Codes are silently discarded.
                return false;
        }
    }

    /// <summary>A Request or Response: header, Type, then the type data parts in order.</summary>
    public static byte[] Create(EapCode code, byte identifier, EapType type, ReadOnlySpan<byte> typeData, ReadOnlySpan<byte> more = default)
    {
        if (code is not (EapCode.Request or EapCode.Response))
            throw new ArgumentOutOfRangeException(nameof(code), "only Request and Response carry a Type");
        var length = HeaderLength + 1 + typeData.Length + more.Length;
        if (length > ushort.MaxValue)
            throw new ArgumentException("EAP packet longer than 65535 octets");
        var packet = new byte[length];
        WriteHeader(packet, code, identifier);
        packet[4] = (byte)type;
        typeData.CopyTo(packet.AsSpan(5));
        more.CopyTo(packet.AsSpan(5 + typeData.Length));
        return packet;
    }

    /// <summary>EAP-Success or EAP-Failure (§4.2): four octets.</summary>
    public static byte[] CreateResult(EapCode code, byte identifier)
    {
        if (code is not (EapCode.Success or EapCode.Failure))
            throw new ArgumentOutOfRangeException(nameof(code), "only Success and Failure are results");
        var packet = new byte[HeaderLength];
        WriteHeader(packet, code, identifier);
        return packet;
    }

    private static void WriteHeader(Span<byte> packet, EapCode code, byte identifier)
    {
        packet[0] = (byte)code;
        packet[1] = identifier;
        BinaryPrimitives.WriteUInt16BigEndian(packet[2..], (ushort)packet.Length);
    }
}
