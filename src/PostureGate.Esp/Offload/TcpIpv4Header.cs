// The fields of an IPv4 (RFC 791 §3.1) + TCP (RFC 9293 §3.1) packet that segmentation
// and coalescing read and rewrite. Only plain segments qualify: no IP options, not a
// fragment, a TCP header that fits.
using System.Buffers.Binary;

namespace PostureGate.Esp.Offload;

public readonly ref struct TcpIpv4Header
{
    public const byte Fin = 0x01;
    public const byte Syn = 0x02;
    public const byte Rst = 0x04;
    public const byte Psh = 0x08;
    public const byte Ack = 0x10;
    public const byte Urg = 0x20;
    public const byte Ece = 0x40;
    public const byte Cwr = 0x80;

    public const int Ipv4Length = 20;
    public const int TcpChecksumOffset = 16;
    private const int TcpProtocol = 6;

    private TcpIpv4Header(ReadOnlySpan<byte> packet, int tcpLength, int totalLength)
    {
        Packet = packet;
        TcpLength = tcpLength;
        TotalLength = totalLength;
    }

    /// <summary>The packet as given (it may be longer than <see cref="TotalLength"/>).</summary>
    public ReadOnlySpan<byte> Packet { get; }

    /// <summary>TCP header length (data offset × 4).</summary>
    public int TcpLength { get; }

    /// <summary>The IP total length.</summary>
    public int TotalLength { get; }

    public int HeadersLength => Ipv4Length + TcpLength;

    public int PayloadLength => TotalLength - HeadersLength;

    public byte Tos => Packet[1];

    public ushort Identification => BinaryPrimitives.ReadUInt16BigEndian(Packet[4..]);

    /// <summary>The flags + fragment offset word: only DF (0x4000) may be set for a plain segment.</summary>
    public ushort FragmentWord => BinaryPrimitives.ReadUInt16BigEndian(Packet[6..]);

    public byte Ttl => Packet[8];

    /// <summary>Source and destination addresses, 8 octets.</summary>
    public ReadOnlySpan<byte> Addresses => Packet.Slice(12, 8);

    /// <summary>Source and destination ports, 4 octets.</summary>
    public ReadOnlySpan<byte> Ports => Packet.Slice(Ipv4Length, 4);

    public uint Sequence => BinaryPrimitives.ReadUInt32BigEndian(Packet[(Ipv4Length + 4)..]);

    public uint Acknowledgment => BinaryPrimitives.ReadUInt32BigEndian(Packet[(Ipv4Length + 8)..]);

    public byte Flags => Packet[Ipv4Length + 13];

    public ushort Window => BinaryPrimitives.ReadUInt16BigEndian(Packet[(Ipv4Length + 14)..]);

    /// <summary>TCP options (timestamps, SACK …), possibly empty.</summary>
    public ReadOnlySpan<byte> Options => Packet.Slice(Ipv4Length + 20, TcpLength - 20);

    public ReadOnlySpan<byte> Payload => Packet.Slice(HeadersLength, PayloadLength);

    /// <summary>
    /// Reads an IPv4 TCP packet without options or fragmentation whose headers fit in
    /// <paramref name="packet"/>; false for anything else (which is then never merged or split).
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> packet, out TcpIpv4Header header)
    {
        header = default;
        if (packet.Length < Ipv4Length + 20 || packet[0] != 0x45 || packet[9] != TcpProtocol)
            return false;
        // MF clear and offset zero: a whole datagram (RFC 791 §3.2).
        if ((BinaryPrimitives.ReadUInt16BigEndian(packet[6..]) & 0x3FFF) != 0)
            return false;
        var total = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        var tcpLength = (packet[Ipv4Length + 12] >> 4) * 4;
        if (tcpLength < 20 || total < Ipv4Length + tcpLength || total > packet.Length)
            return false;
        header = new TcpIpv4Header(packet, tcpLength, total);
        return true;
    }
}
