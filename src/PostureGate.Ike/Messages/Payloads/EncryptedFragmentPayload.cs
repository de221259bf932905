// RFC 7383 §2.5 Encrypted Fragment Payload (SKF)
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Next Payload  |C|  RESERVED   |         Payload Length        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |        Fragment Number        |        Total Fragments        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                     Initialization Vector                     |
// ~                      Encrypted content                        ~
// +               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |               |             Padding (0-255 octets)            |
// +-+-+-+-+-+-+-+-+                               +-+-+-+-+-+-+-+-+
// |                                               |  Pad Length   |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                    Integrity Checksum Data                    ~
using System.Buffers.Binary;

namespace PostureGate.Ike.Messages.Payloads;

public sealed class EncryptedFragmentPayload : IkePayload
{
    /// <summary>Fragment Number and Total Fragments.</summary>
    public const int FragmentHeaderSize = 4;

    public EncryptedFragmentPayload(PayloadType firstInnerPayload, ushort fragmentNumber, ushort totalFragments, ReadOnlyMemory<byte> body, int bodyOffset)
    {
        FirstInnerPayload = firstInnerPayload;
        FragmentNumber = fragmentNumber;
        TotalFragments = totalFragments;
        Body = body;
        BodyOffset = bodyOffset;
    }

    /// <summary>§2.5: the first inner payload type in fragment 1, zero in the others.</summary>
    public PayloadType FirstInnerPayload { get; }
    public ushort FragmentNumber { get; }
    public ushort TotalFragments { get; }

    /// <summary>IV | ciphertext | ICV.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>Offset of the IV in the message; the AAD (header, SKF header and fragment fields) ends here.</summary>
    public int BodyOffset { get; }

    public override PayloadType Type => PayloadType.EncryptedFragment;
    public override int BodyLength => FragmentHeaderSize + Body.Length;

    public override void WriteBody(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, FragmentNumber);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], TotalFragments);
        Body.Span.CopyTo(destination[FragmentHeaderSize..]);
    }

    public override bool Verify(out IkeError error)
    {
        // §2.5: numbering starts at 1 and never exceeds the total; only fragment 1 names the inner type.
        string? reason = null;
        if (FragmentNumber == 0 || TotalFragments == 0 || FragmentNumber > TotalFragments)
            reason = $"fragment {FragmentNumber} of {TotalFragments}";
        else if (FragmentNumber > 1 && FirstInnerPayload != PayloadType.NoNextPayload)
            reason = $"fragment {FragmentNumber} with Next Payload {(byte)FirstInnerPayload}";
        error = reason is null ? default : IkeError.Syntax("SKF: " + reason);
        return reason is null;
    }

    public override string ToString() => $"SKF({FragmentNumber}/{TotalFragments})";
}
