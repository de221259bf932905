// RFC 7296 §3.3.1 / §3.3.2: proposals and transforms share one header shape,
// | Last Substruc | RESERVED | Length |, where Last Substruc is 0 for the last
// one and 2 (proposal) or 3 (transform) when more follow.
using System.Buffers.Binary;

namespace PostureGate.Ike.Messages.Payloads;

internal static class Substructure
{
    public static bool TryReadHeader(ReadOnlySpan<byte> source, byte more, int minLength, string name,
        out int length, out bool isLast, out string? error)
    {
        length = 0;
        isLast = false;
        if (source.Length < minLength)
        {
            error = name + " truncated";
            return false;
        }
        var last = source[0];
        if (last != 0 && last != more)
        {
            error = $"{name} Last Substruc {last}";
            return false;
        }
        length = BinaryPrimitives.ReadUInt16BigEndian(source[2..]);
        if (length < minLength || length > source.Length)
        {
            error = $"{name} length {length}";
            return false;
        }
        isLast = last == 0;
        error = null;
        return true;
    }

    public static void WriteHeader(Span<byte> destination, byte more, bool isLast, int length)
    {
        destination[0] = isLast ? (byte)0 : more;
        destination[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], checked((ushort)length));
    }
}
