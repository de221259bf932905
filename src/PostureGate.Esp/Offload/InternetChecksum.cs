// The Internet checksum (RFC 1071): a 16-bit one's-complement sum. It is byte-order
// independent (RFC 1071 §2(B)), so the data is summed as native little-endian 64-bit
// words with end-around carry and the folded result is swapped once at the end, which
// keeps the per-octet cost far below a 16-bit big-endian loop on the packet path.
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PostureGate.Esp.Offload;

public static class InternetChecksum
{
    /// <summary>
    /// Adds <paramref name="data"/> to a running partial sum (a value returned by this method or
    /// <see cref="PseudoHeaderSum"/>); finish with <see cref="Fold"/>. A running sum is only exact
    /// when every span but the last has an even length.
    /// </summary>
    public static ulong Add(ulong sum, ReadOnlySpan<byte> data)
    {
        // The partial sum is kept in the swapped (little-endian) domain.
        ref var start = ref MemoryMarshal.GetReference(data);
        var length = data.Length;
        var offset = 0;
        ulong a = 0, b = 0;
        while (length - offset >= 32)
        {
            a = AddCarry(a, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, offset)));
            b = AddCarry(b, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, offset + 8)));
            a = AddCarry(a, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, offset + 16)));
            b = AddCarry(b, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, offset + 24)));
            offset += 32;
        }
        while (length - offset >= 8)
        {
            a = AddCarry(a, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, offset)));
            offset += 8;
        }
        ulong tail = 0;
        var shift = 0;
        while (offset < length)
        {
            tail |= (ulong)Unsafe.Add(ref start, offset) << shift;
            shift += 8;
            offset++;
        }
        a = AddCarry(a, tail);
        a = AddCarry(a, b);
        return AddCarry(sum, a);
    }

    /// <summary>The IPv4 pseudo header (RFC 793 §3.1, RFC 768): addresses, protocol and upper-layer length.</summary>
    public static ulong PseudoHeaderSum(ReadOnlySpan<byte> sourceAndDestination, byte protocol, int length)
    {
        var sum = Add(0, sourceAndDestination);
        // protocol and length as two big-endian 16-bit words, expressed in the swapped domain.
        return AddCarry(sum, BinaryPrimitives.ReverseEndianness((ushort)protocol) + (ulong)BinaryPrimitives.ReverseEndianness((ushort)length));
    }

    /// <summary>Folds a running sum to 16 bits, in network order (not complemented).</summary>
    public static ushort Fold(ulong sum)
    {
        sum = (sum & 0xFFFFFFFF) + (sum >> 32);
        sum = (sum & 0xFFFFFFFF) + (sum >> 32);
        sum = (sum & 0xFFFF) + (sum >> 16);
        sum = (sum & 0xFFFF) + (sum >> 16);
        sum = (sum & 0xFFFF) + (sum >> 16);
        return BinaryPrimitives.ReverseEndianness((ushort)sum);
    }

    /// <summary>The checksum field value for <paramref name="data"/> (the field itself zero in it).</summary>
    public static ushort Compute(ReadOnlySpan<byte> data, ulong initial = 0) => (ushort)~Fold(Add(initial, data));

    /// <summary>Recomputes the header checksum of an IPv4 header in place (RFC 791 §3.1).</summary>
    public static void SetIpv4HeaderChecksum(Span<byte> header)
    {
        header[10] = 0;
        header[11] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(header[10..], Compute(header));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong AddCarry(ulong x, ulong y)
    {
        var s = x + y;
        return s + (s < x ? 1UL : 0UL);
    }
}
