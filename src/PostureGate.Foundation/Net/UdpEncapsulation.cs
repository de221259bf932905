// RFC 3948 "UDP Encapsulation of IPsec ESP Packets": one UDP port (4500) carries
// IKE, ESP and NAT-keepalives; the first bytes of the UDP payload tell them apart. The one
// classifier: the IKE sockets, the client transport and the ESP data plane all sort with it.
using System.Buffers.Binary;

namespace PostureGate.Net;

/// <summary>What a datagram received on the NAT-T port holds (RFC 3948 §2).</summary>
public enum UdpEncapsulatedKind : byte
{
    /// <summary>Not a valid datagram of any kind (too short, or an ESP header with SPI 1..255).</summary>
    Invalid,
    /// <summary>An IKE message behind the 4-byte non-ESP marker (RFC 3948 §2.2).</summary>
    Ike,
    /// <summary>A NAT-keepalive, the single byte 0xFF (RFC 3948 §2.3).</summary>
    NatKeepalive,
    /// <summary>An ESP packet (RFC 3948 §2.1): SPI ≠ 0.</summary>
    Esp,
}

public static class UdpEncapsulation
{
    /// <summary>RFC 3948 §2.2: four zero octets where an ESP packet has its SPI.</summary>
    public const int NonEspMarkerLength = 4;

    /// <summary>RFC 3948 §2.3: the keepalive payload.</summary>
    public const byte NatKeepaliveByte = 0xFF;

    // RFC 4303 §2: an ESP packet has at least SPI and sequence number.
    private const int MinEspLength = 8;

    // RFC 7296 §3.1: the IKE header.
    private const int IkeHeaderLength = 28;

    /// <summary>
    /// RFC 3948 §2.2-§2.3 demultiplexing of a UDP payload received on port 4500.
    /// <list type="bullet">
    /// <item>a single 0xFF octet is a NAT-keepalive;</item>
    /// <item>four zero octets (non-ESP marker) introduce an IKE message;</item>
    /// <item>anything else is ESP, whose SPI must not be in the reserved range 1..255 (RFC 4303 §2.1).</item>
    /// </list>
    /// </summary>
    public static UdpEncapsulatedKind Classify(ReadOnlySpan<byte> udpPayload)
    {
        if (udpPayload.Length == 1)
            return udpPayload[0] == NatKeepaliveByte ? UdpEncapsulatedKind.NatKeepalive : UdpEncapsulatedKind.Invalid;
        if (udpPayload.Length < NonEspMarkerLength)
            return UdpEncapsulatedKind.Invalid;
        var spi = BinaryPrimitives.ReadUInt32BigEndian(udpPayload);
        if (spi == 0)
            // The marker precedes at least an IKE header.
            return udpPayload.Length >= NonEspMarkerLength + IkeHeaderLength ? UdpEncapsulatedKind.Ike : UdpEncapsulatedKind.Invalid;
        // RFC 4303 §2.1: SPI values 1-255 are reserved by IANA and never assigned to an SA.
        if (spi <= 255 || udpPayload.Length < MinEspLength)
            return UdpEncapsulatedKind.Invalid;
        return UdpEncapsulatedKind.Esp;
    }

    /// <summary>Writes the non-ESP marker and the IKE message after it (RFC 3948 §2.2); returns the length written.</summary>
    public static int WriteIke(ReadOnlySpan<byte> ikeMessage, Span<byte> destination)
    {
        destination[..NonEspMarkerLength].Clear();
        ikeMessage.CopyTo(destination[NonEspMarkerLength..]);
        return NonEspMarkerLength + ikeMessage.Length;
    }

    /// <summary>A new datagram: the non-ESP marker, then <paramref name="ikeMessage"/>.</summary>
    public static byte[] AddNonEspMarker(ReadOnlySpan<byte> ikeMessage)
    {
        var datagram = new byte[NonEspMarkerLength + ikeMessage.Length];
        WriteIke(ikeMessage, datagram);
        return datagram;
    }
}
