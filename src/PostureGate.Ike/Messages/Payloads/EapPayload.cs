// RFC 7296 §3.16 Extensible Authentication Protocol (EAP) Payload
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Next Payload  |C|  RESERVED   |         Payload Length        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                       EAP Message                             ~
//
// The EAP message (RFC 3748 §4): | Code | Identifier | Length | Type | Type_Data…
// It is carried raw; the EAP methods interpret it.
using System.Buffers.Binary;

namespace PostureGate.Ike.Messages.Payloads;

public sealed class EapPayload : IkePayload
{
    public EapPayload(byte[] message) => Message = message;

    /// <summary>The raw EAP packet (RFC 3748 §4).</summary>
    public byte[] Message { get; }

    /// <summary>RFC 3748 §4: 1 Request, 2 Response, 3 Success, 4 Failure.</summary>
    public byte Code => Message.Length > 0 ? Message[0] : (byte)0;
    public byte Identifier => Message.Length > 1 ? Message[1] : (byte)0;

    /// <summary>The EAP Type of a Request/Response (1 Identity, 26 MS-CHAPv2 …), or 0.</summary>
    public byte EapType => Code is 1 or 2 && Message.Length > 4 ? Message[4] : (byte)0;

    public override PayloadType Type => PayloadType.Eap;
    public override int BodyLength => Message.Length;

    public static bool TryParse(ReadOnlySpan<byte> body, out EapPayload? payload, out IkeError error)
    {
        payload = new EapPayload(body.ToArray());
        error = default;
        return true;
    }

    public override void WriteBody(Span<byte> destination) => Message.CopyTo(destination);

    public override bool Verify(out IkeError error)
    {
        // RFC 3748 §4: at least Code, Identifier, Length; the EAP Length covers the whole packet,
        // which §3.16 puts alone in the payload. Requests and responses carry a Type.
        if (Message.Length < 4 || BinaryPrimitives.ReadUInt16BigEndian(Message.AsSpan(2)) != Message.Length
            || Code is 0 or > 4 || (Code is 1 or 2 && Message.Length < 5))
        {
            error = IkeError.Syntax("EAP: malformed EAP packet");
            return false;
        }
        error = default;
        return true;
    }

    public override string Summary => Code switch
    {
        1 => $"EAP/REQ/{EapType}",
        2 => $"EAP/RES/{EapType}",
        3 => "EAP/SUCC",
        4 => "EAP/FAIL",
        _ => "EAP",
    };
}
