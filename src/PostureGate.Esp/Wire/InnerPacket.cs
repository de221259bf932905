// The inner IP packet carried in tunnel mode (RFC 4303 §3.1.2): just enough of the
// IPv4 (RFC 791 §3.1) and IPv6 (RFC 8200 §3) headers to route, check selectors and
// trim TFC padding (RFC 4303 §2.7).
using System.Buffers.Binary;

namespace PostureGate.Esp.Wire;

/// <summary>Version, addresses and length of an inner IP packet.</summary>
public readonly struct InnerPacket
{
    public const int Ipv4HeaderLength = 20;
    public const int Ipv6HeaderLength = 40;

    /// <summary>4 or 6.</summary>
    public int Version { get; }

    /// <summary>The source address: IPv4 in the low 32 bits, IPv6 as all 128.</summary>
    public UInt128 Source { get; }

    public UInt128 Destination { get; }

    /// <summary>The length the IP header declares; TFC padding beyond it is not part of the packet.</summary>
    public int TotalLength { get; }

    private InnerPacket(int version, UInt128 source, UInt128 destination, int totalLength)
    {
        Version = version;
        Source = source;
        Destination = destination;
        TotalLength = totalLength;
    }

    /// <summary>
    /// Reads the header of <paramref name="packet"/>; false when it is not an IPv4/IPv6 packet
    /// whose declared length fits in the bytes present.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> packet, out InnerPacket inner)
    {
        inner = default;
        if (packet.IsEmpty)
            return false;
        switch (packet[0] >> 4)
        {
            case 4:
                {
                    // RFC 791 §3.1: IHL counts 32-bit words and is at least 5.
                    var ihl = (packet[0] & 0x0F) * 4;
                    if (packet.Length < Ipv4HeaderLength || ihl < Ipv4HeaderLength)
                        return false;
                    int total = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
                    if (total < ihl || total > packet.Length)
                        return false;
                    inner = new InnerPacket(4,
                        BinaryPrimitives.ReadUInt32BigEndian(packet[12..]),
                        BinaryPrimitives.ReadUInt32BigEndian(packet[16..]),
                        total);
                    return true;
                }
            case 6:
                {
                    if (packet.Length < Ipv6HeaderLength)
                        return false;
                    // RFC 8200 §3: Payload Length excludes the fixed header (jumbograms are not tunnelled).
                    var total = Ipv6HeaderLength + BinaryPrimitives.ReadUInt16BigEndian(packet[4..]);
                    if (total > packet.Length)
                        return false;
                    inner = new InnerPacket(6,
                        BinaryPrimitives.ReadUInt128BigEndian(packet[8..]),
                        BinaryPrimitives.ReadUInt128BigEndian(packet[24..]),
                        total);
                    return true;
                }
            default:
                return false;
        }
    }

    /// <summary>The IPv4 destination of an outbound packet read from the TUN device, if it is IPv4.</summary>
    public static bool TryReadIpv4Destination(ReadOnlySpan<byte> packet, out uint destination)
    {
        if (packet.Length >= Ipv4HeaderLength && packet[0] >> 4 == 4)
        {
            destination = BinaryPrimitives.ReadUInt32BigEndian(packet[16..]);
            return true;
        }
        destination = 0;
        return false;
    }
}
