// Inner packets for tests: IPv4 (RFC 791) with a correct header checksum, carrying UDP
// or an ICMP echo request (RFC 792), so a real kernel accepts them from a TUN device.
using System.Buffers.Binary;
using System.Net;

namespace PostureGate.Esp.Tests.Support;

public static class Ipv4Packets
{
    public static byte[] Udp(string source, string destination, int payloadLength, byte fill = 0xAB)
    {
        var packet = Header(source, destination, 17, 8 + payloadLength);
        var udp = packet.AsSpan(20);
        BinaryPrimitives.WriteUInt16BigEndian(udp, 40000);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], 9);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)(8 + payloadLength));
        udp[8..].Fill(fill);
        for (var i = 8; i < udp.Length; i++)
            udp[i] = (byte)(fill + i);
        return packet;
    }

    public static byte[] IcmpEcho(string source, string destination, ushort identifier, ushort sequence, int payloadLength = 32)
    {
        var packet = Header(source, destination, 1, 8 + payloadLength);
        var icmp = packet.AsSpan(20);
        icmp[0] = 8; // echo request
        BinaryPrimitives.WriteUInt16BigEndian(icmp[4..], identifier);
        BinaryPrimitives.WriteUInt16BigEndian(icmp[6..], sequence);
        for (var i = 8; i < icmp.Length; i++)
            icmp[i] = (byte)i;
        BinaryPrimitives.WriteUInt16BigEndian(icmp[2..], Checksum(icmp));
        return packet;
    }

    private static byte[] Header(string source, string destination, byte protocol, int payloadLength)
    {
        var packet = new byte[20 + payloadLength];
        packet[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        packet[8] = 64;
        packet[9] = protocol;
        IPAddress.Parse(source).TryWriteBytes(packet.AsSpan(12, 4), out _);
        IPAddress.Parse(destination).TryWriteBytes(packet.AsSpan(16, 4), out _);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), Checksum(packet.AsSpan(0, 20)));
        return packet;
    }

    /// <summary>RFC 1071 Internet checksum.</summary>
    public static ushort Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (var i = 0; i + 1 < data.Length; i += 2)
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        if (data.Length % 2 == 1)
            sum += (uint)data[^1] << 8;
        while (sum >> 16 != 0)
            sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }
}
