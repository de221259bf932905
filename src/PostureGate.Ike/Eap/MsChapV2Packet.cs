// EAP-MSCHAPv2 framing, draft-kamath-pppext-eap-mschapv2-02 §2 — the Type-Data
// of an EAP packet whose Type is 26:
//
//    0                   1                   2                   3
//    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |    OpCode     | MS-CHAPv2-ID  |           MS-Length           |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |  Value-Size   |  Value ...  (Challenge 16 / Response 49)      |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |  Name ... (Challenge, Response) or Message (Success, Failure requests)
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// MS-Length is the EAP Length minus 5, i.e. the Type-Data's length. The peer's
// Success and Failure Responses are the OpCode alone (one octet of Type-Data).
// The Response Value is Peer-Challenge(16) ‖ Reserved(8) ‖ NT-Response(24) ‖
// Flags(1) (RFC 2759 §4).
using System.Buffers.Binary;

namespace PostureGate.Ike.Eap;

/// <summary>One parsed EAP-MSCHAPv2 Type-Data; <see cref="Data"/> points into the input.</summary>
public readonly ref struct MsChapV2Packet
{
    public const int HeaderLength = 4;
    public const int ResponseValueLength = 49;

    private MsChapV2Packet(MsChapV2OpCode opCode, byte msChapV2Id, bool isShort, ReadOnlySpan<byte> data)
    {
        OpCode = opCode;
        MsChapV2Id = msChapV2Id;
        IsShort = isShort;
        Data = data;
    }

    public MsChapV2OpCode OpCode { get; }

    public byte MsChapV2Id { get; }

    /// <summary>The one-octet form (a peer's Success or Failure Response).</summary>
    public bool IsShort { get; }

    /// <summary>The octets after MS-Length.</summary>
    public ReadOnlySpan<byte> Data { get; }

    public static bool TryParse(ReadOnlySpan<byte> typeData, out MsChapV2Packet packet)
    {
        packet = default;
        if (typeData.IsEmpty)
            return false;
        var opCode = (MsChapV2OpCode)typeData[0];
        // §2: a Success or Failure Response carries the OpCode only.
        if (typeData.Length == 1)
        {
            if (opCode is not (MsChapV2OpCode.Success or MsChapV2OpCode.Failure))
                return false;
            packet = new MsChapV2Packet(opCode, 0, isShort: true, default);
            return true;
        }
        if (typeData.Length < HeaderLength)
            return false;
        // §2: "MS-Length ... MUST be set to the value of the EAP Length field minus 5".
        if (BinaryPrimitives.ReadUInt16BigEndian(typeData[2..]) != typeData.Length)
            return false;
        packet = new MsChapV2Packet(opCode, typeData[1], isShort: false, typeData[HeaderLength..]);
        return true;
    }

    /// <summary>§2 Challenge: Value-Size 16, the challenge, and a Name of at least one octet.</summary>
    public bool TryReadChallenge(out ReadOnlySpan<byte> challenge, out ReadOnlySpan<byte> name)
    {
        challenge = default;
        name = default;
        if (OpCode != MsChapV2OpCode.Challenge || IsShort
            || Data.Length < 1 + MsChapV2.ChallengeLength + 1 || Data[0] != MsChapV2.ChallengeLength)
            return false;
        challenge = Data.Slice(1, MsChapV2.ChallengeLength);
        name = Data[(1 + MsChapV2.ChallengeLength)..];
        return true;
    }

    /// <summary>
    /// §2 Response: Value-Size 49, then Peer-Challenge, 8 reserved octets,
    /// NT-Response, Flags, then the Name. Reserved and Flags are not checked
    /// (RFC 2759 §4 says "zero"; strongSwan ignores them as well, and they
    /// carry no meaning this side would act on).
    /// </summary>
    public bool TryReadResponse(out ReadOnlySpan<byte> peerChallenge, out ReadOnlySpan<byte> ntResponse, out ReadOnlySpan<byte> name)
    {
        peerChallenge = default;
        ntResponse = default;
        name = default;
        if (OpCode != MsChapV2OpCode.Response || IsShort
            || Data.Length < 1 + ResponseValueLength || Data[0] != ResponseValueLength)
            return false;
        var value = Data.Slice(1, ResponseValueLength);
        peerChallenge = value[..MsChapV2.ChallengeLength];
        ntResponse = value.Slice(MsChapV2.ChallengeLength + 8, MsChapV2.NtResponseLength);
        name = Data[(1 + ResponseValueLength)..];
        return true;
    }

    /// <summary>EAP-Request/MSCHAPv2 Challenge.</summary>
    public static byte[] CreateChallenge(byte identifier, byte msChapV2Id, ReadOnlySpan<byte> challenge, ReadOnlySpan<byte> name)
    {
        Span<byte> value = stackalloc byte[1 + MsChapV2.ChallengeLength];
        value[0] = MsChapV2.ChallengeLength;
        challenge.CopyTo(value[1..]);
        return Create(EapCode.Request, identifier, MsChapV2OpCode.Challenge, msChapV2Id, value, name);
    }

    /// <summary>EAP-Response/MSCHAPv2 Response (Reserved and Flags zero).</summary>
    public static byte[] CreateResponse(byte identifier, byte msChapV2Id, ReadOnlySpan<byte> peerChallenge,
        ReadOnlySpan<byte> ntResponse, ReadOnlySpan<byte> name)
    {
        Span<byte> value = stackalloc byte[1 + ResponseValueLength];
        value.Clear();
        value[0] = ResponseValueLength;
        peerChallenge.CopyTo(value[1..]);
        ntResponse.CopyTo(value[(1 + MsChapV2.ChallengeLength + 8)..]);
        return Create(EapCode.Response, identifier, MsChapV2OpCode.Response, msChapV2Id, value, name);
    }

    /// <summary>A Success or Failure Request, whose data is an ASCII message.</summary>
    public static byte[] CreateMessageRequest(byte identifier, MsChapV2OpCode opCode, byte msChapV2Id, string message) =>
        Create(EapCode.Request, identifier, opCode, msChapV2Id, System.Text.Encoding.ASCII.GetBytes(message), default);

    /// <summary>The peer's one-octet Success or Failure Response.</summary>
    public static byte[] CreateShortResponse(byte identifier, MsChapV2OpCode opCode) =>
        EapPacket.Create(EapCode.Response, identifier, EapType.MsChapV2, [(byte)opCode]);

    private static byte[] Create(EapCode code, byte identifier, MsChapV2OpCode opCode, byte msChapV2Id,
        ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        var length = HeaderLength + first.Length + second.Length;
        Span<byte> header = stackalloc byte[HeaderLength];
        header[0] = (byte)opCode;
        header[1] = msChapV2Id;
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], (ushort)length);
        var body = new byte[first.Length + second.Length];
        first.CopyTo(body);
        second.CopyTo(body.AsSpan(first.Length));
        return EapPacket.Create(code, identifier, EapType.MsChapV2, header, body);
    }
}
