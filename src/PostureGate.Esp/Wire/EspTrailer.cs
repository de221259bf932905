// RFC 4303 §2.4-§2.6: Padding, Pad Length and Next Header, the encrypted trailer
// that ends every ESP payload.
namespace PostureGate.Esp.Wire;

/// <summary>The IP protocol numbers that may appear in Next Header for tunnel mode.</summary>
public enum EspNextHeader : byte
{
    /// <summary>IP-in-IP: an inner IPv4 packet (tunnel mode).</summary>
    Ipv4 = 4,
    /// <summary>An inner IPv6 packet (tunnel mode).</summary>
    Ipv6 = 41,
    /// <summary>RFC 4303 §2.6: a dummy packet for traffic flow confidentiality; discarded.</summary>
    NoNextHeader = 59,
}

public static class EspTrailer
{
    /// <summary>Pad Length and Next Header.</summary>
    public const int FixedLength = 2;

    /// <summary>
    /// RFC 4303 §2.4: the padding needed so that payload, padding and the two fixed trailer
    /// octets end on a multiple of <paramref name="blockSize"/> (the cipher block, at least 4).
    /// </summary>
    public static int PaddingLength(int payloadLength, int blockSize)
    {
        var rem = (payloadLength + FixedLength) % blockSize;
        return rem == 0 ? 0 : blockSize - rem;
    }

    /// <summary>
    /// Writes the default padding (RFC 4303 §2.4: the monotonic series 1, 2, 3 …), Pad Length
    /// and Next Header into <paramref name="destination"/>; returns the octets written.
    /// </summary>
    public static int Write(Span<byte> destination, int padLength, byte nextHeader)
    {
        for (var i = 0; i < padLength; i++)
            destination[i] = (byte)(i + 1);
        destination[padLength] = (byte)padLength;
        destination[padLength + 1] = nextHeader;
        return padLength + FixedLength;
    }

    /// <summary>
    /// Parses the trailer at the end of a decrypted payload. RFC 4303 §2.4: when the default
    /// padding is used the receiver SHOULD check it, so any other padding content fails.
    /// </summary>
    /// <param name="plaintext">The decrypted payload: data, padding, Pad Length, Next Header.</param>
    /// <param name="dataLength">The length of the payload data before the padding.</param>
    /// <param name="nextHeader">The Next Header field.</param>
    public static bool TryRead(ReadOnlySpan<byte> plaintext, out int dataLength, out byte nextHeader)
    {
        dataLength = 0;
        nextHeader = 0;
        if (plaintext.Length < FixedLength)
            return false;
        int padLength = plaintext[^2];
        if (padLength + FixedLength > plaintext.Length)
            return false;
        var padding = plaintext.Slice(plaintext.Length - FixedLength - padLength, padLength);
        for (var i = 0; i < padding.Length; i++)
        {
            if (padding[i] != (byte)(i + 1))
                return false;
        }
        dataLength = plaintext.Length - FixedLength - padLength;
        nextHeader = plaintext[^1];
        return true;
    }
}
