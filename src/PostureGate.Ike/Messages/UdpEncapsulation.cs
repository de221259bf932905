// IKE on UDP port 4500 (RFC 3948 §2.2, RFC 7296 §2.23): IKE messages are
// prefixed by the four-octet non-ESP marker (zero, where ESP has its SPI), and a
// single 0xFF octet is a NAT-keepalive (RFC 3948 §2.3) to be dropped.
namespace PostureGate.Ike.Messages;

public enum Udp4500Kind
{
    /// <summary>Too short to be anything; drop.</summary>
    Invalid,
    /// <summary>RFC 3948 §2.3 NAT-keepalive (one 0xFF octet).</summary>
    Keepalive,
    /// <summary>An IKE message after the non-ESP marker.</summary>
    Ike,
    /// <summary>ESP (the first four octets are a non-zero SPI), for the data plane.</summary>
    Esp,
}

public static class UdpEncapsulation
{
    public const int NonEspMarkerSize = 4;
    public const byte KeepaliveOctet = 0xFF;

    /// <summary>Sorts a datagram received on port 4500.</summary>
    public static Udp4500Kind Classify(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length == 1 && datagram[0] == KeepaliveOctet)
            return Udp4500Kind.Keepalive;
        if (datagram.Length < NonEspMarkerSize)
            return Udp4500Kind.Invalid;
        if (datagram[..NonEspMarkerSize].IndexOfAnyExcept((byte)0) < 0)
            return datagram.Length >= NonEspMarkerSize + IkeHeader.Size ? Udp4500Kind.Ike : Udp4500Kind.Invalid;
        // RFC 4303 §2: SPI (4) and sequence number (4) at least.
        return datagram.Length >= 8 ? Udp4500Kind.Esp : Udp4500Kind.Invalid;
    }

    /// <summary>The IKE message behind the non-ESP marker, or false when the datagram is not IKE.</summary>
    public static bool TryStripNonEspMarker(ReadOnlyMemory<byte> datagram, out ReadOnlyMemory<byte> ikeMessage)
    {
        if (Classify(datagram.Span) != Udp4500Kind.Ike)
        {
            ikeMessage = default;
            return false;
        }
        ikeMessage = datagram[NonEspMarkerSize..];
        return true;
    }

    /// <summary>The datagram to send on port 4500: four zero octets, then the message.</summary>
    public static byte[] AddNonEspMarker(ReadOnlySpan<byte> ikeMessage)
    {
        var datagram = new byte[NonEspMarkerSize + ikeMessage.Length];
        ikeMessage.CopyTo(datagram.AsSpan(NonEspMarkerSize));
        return datagram;
    }
}
