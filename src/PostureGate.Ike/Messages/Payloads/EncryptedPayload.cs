// RFC 7296 §3.14 Encrypted and Authenticated Payload (SK)
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Next Payload  |C|  RESERVED   |         Payload Length        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                     Initialization Vector                     |
// |         (length is block size for encryption algorithm)       |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                    Encrypted IKE Payloads                     ~
// +               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |               |             Padding (0-255 octets)            |
// +-+-+-+-+-+-+-+-+                               +-+-+-+-+-+-+-+-+
// |                                               |  Pad Length   |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                    Integrity Checksum Data                    ~
//
// The Next Payload field names the first payload inside; the SK payload is
// always the last one of the message (§3.14), so its body runs to the end.
namespace PostureGate.Ike.Messages.Payloads;

public sealed class EncryptedPayload : IkePayload
{
    public EncryptedPayload(PayloadType firstInnerPayload, ReadOnlyMemory<byte> body, int bodyOffset)
    {
        FirstInnerPayload = firstInnerPayload;
        Body = body;
        BodyOffset = bodyOffset;
    }

    /// <summary>The type of the first payload inside (the SK header's Next Payload field).</summary>
    public PayloadType FirstInnerPayload { get; }

    /// <summary>IV | ciphertext | ICV, a slice of the received datagram.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>Where <see cref="Body"/> (the IV) starts in the message: AAD and ICV input end/start here.</summary>
    public int BodyOffset { get; }

    public override PayloadType Type => PayloadType.Encrypted;
    public override int BodyLength => Body.Length;
    public override void WriteBody(Span<byte> destination) => Body.Span.CopyTo(destination);
    public override string ToString() => $"SK({Body.Length} B)";
}
