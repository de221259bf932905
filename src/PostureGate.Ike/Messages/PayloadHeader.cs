// RFC 7296 §3.2 Generic Payload Header
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Next Payload  |C|  RESERVED   |         Payload Length        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
using System.Buffers.Binary;

namespace PostureGate.Ike.Messages;

public readonly record struct PayloadHeader(PayloadType NextPayload, bool Critical, ushort Length)
{
    public const int Size = 4;
    private const byte CriticalBit = 0x80;

    public static bool TryRead(ReadOnlySpan<byte> source, out PayloadHeader header)
    {
        if (source.Length < Size)
        {
            header = default;
            return false;
        }
        header = new PayloadHeader((PayloadType)source[0], (source[1] & CriticalBit) != 0,
            BinaryPrimitives.ReadUInt16BigEndian(source[2..]));
        return true;
    }

    public void Write(Span<byte> destination)
    {
        destination[0] = (byte)NextPayload;
        // §3.2: RESERVED MUST be sent as zero.
        destination[1] = Critical ? CriticalBit : (byte)0;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], Length);
    }
}
