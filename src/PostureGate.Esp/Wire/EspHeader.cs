// RFC 4303 §2 "Encapsulating Security Payload Packet Format", the clear header.
//
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |               Security Parameters Index (SPI)                 |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                      Sequence Number                          |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                    IV (optional, per transform)              ~
// ~                    Payload Data* (variable)                   ~
// |               |     Padding (0-255 bytes)                     |
// |                               |  Pad Length   | Next Header   |
// |         Integrity Check Value-ICV   (variable)                |
using System.Buffers.Binary;

namespace PostureGate.Esp.Wire;

/// <summary>The SPI and the low 32 bits of the sequence number of an ESP packet.</summary>
public readonly record struct EspHeader(uint Spi, uint SequenceNumber)
{
    public const int Length = 8;

    /// <summary>Reads the header; false when fewer than 8 octets are present.</summary>
    public static bool TryRead(ReadOnlySpan<byte> packet, out EspHeader header)
    {
        if (packet.Length < Length)
        {
            header = default;
            return false;
        }
        header = new EspHeader(
            BinaryPrimitives.ReadUInt32BigEndian(packet),
            BinaryPrimitives.ReadUInt32BigEndian(packet[4..]));
        return true;
    }

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, Spi);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], SequenceNumber);
    }
}
