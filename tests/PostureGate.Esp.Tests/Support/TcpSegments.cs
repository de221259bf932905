// TCP/IPv4 segments (RFC 9293 §3.1, RFC 791 §3.1) with correct IP and TCP checksums, as a
// sender's stack emits them: incrementing IP identification, DF, ACK with timestamps.
using System.Buffers.Binary;
using System.Net;
using PostureGate.Esp.Devices;

namespace PostureGate.Esp.Tests.Support;

public static class TcpSegments
{
    public sealed record Flow(string Source, string Destination, ushort SourcePort, ushort DestinationPort);

    public static Flow A { get; } = new("192.0.2.200", "203.0.113.10", 40000, 5201);

    public static Flow B { get; } = new("192.0.2.201", "203.0.113.10", 40001, 5201);

    /// <summary>One segment; <paramref name="timestamp"/> adds a 12-octet NOP,NOP,TS option.</summary>
    public static byte[] Segment(Flow flow, uint sequence, int payloadLength, ushort id = 1, byte flags = 0x10,
        uint ack = 1000, ushort window = 502, uint? timestamp = 77, byte ttl = 64, byte tos = 0)
    {
        var tcpLength = timestamp is null ? 20 : 32;
        var packet = new byte[20 + tcpLength + payloadLength];
        packet[0] = 0x45;
        packet[1] = tos;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), id);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(6), 0x4000);
        packet[8] = ttl;
        packet[9] = 6;
        IPAddress.Parse(flow.Source).TryWriteBytes(packet.AsSpan(12, 4), out _);
        IPAddress.Parse(flow.Destination).TryWriteBytes(packet.AsSpan(16, 4), out _);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), Ipv4Packets.Checksum(packet.AsSpan(0, 20)));

        var tcp = packet.AsSpan(20);
        BinaryPrimitives.WriteUInt16BigEndian(tcp, flow.SourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(tcp[2..], flow.DestinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[4..], sequence);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[8..], ack);
        tcp[12] = (byte)((tcpLength / 4) << 4);
        tcp[13] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(tcp[14..], window);
        if (timestamp is { } ts)
        {
            tcp[20] = 1;
            tcp[21] = 1;
            tcp[22] = 8;
            tcp[23] = 10;
            BinaryPrimitives.WriteUInt32BigEndian(tcp[24..], ts);
            BinaryPrimitives.WriteUInt32BigEndian(tcp[28..], ts - 5);
        }
        for (var i = 0; i < payloadLength; i++)
            tcp[tcpLength + i] = (byte)(sequence + i);
        SetTcpChecksum(packet);
        return packet;
    }

    /// <summary>A run of full segments of one flow: sequence numbers and IP IDs continue.</summary>
    public static List<byte[]> Run(Flow flow, int count, int mss = 1348, uint sequence = 5000, ushort id = 10, int lastPayload = -1, byte lastFlags = 0x10)
    {
        var list = new List<byte[]>();
        for (var i = 0; i < count; i++)
        {
            var last = i == count - 1;
            var payload = last && lastPayload >= 0 ? lastPayload : mss;
            list.Add(Segment(flow, sequence, payload, (ushort)(id + i), last ? lastFlags : (byte)0x10));
            sequence += (uint)payload;
        }
        return list;
    }

    public static void SetTcpChecksum(Span<byte> packet)
    {
        var total = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        var tcpLength = total - 20;
        packet[36] = 0;
        packet[37] = 0;
        var pseudo = new byte[12 + tcpLength];
        packet.Slice(12, 8).CopyTo(pseudo);
        pseudo[9] = 6;
        BinaryPrimitives.WriteUInt16BigEndian(pseudo.AsSpan(10), (ushort)tcpLength);
        packet.Slice(20, tcpLength).CopyTo(pseudo.AsSpan(12));
        BinaryPrimitives.WriteUInt16BigEndian(packet[36..], Ipv4Packets.Checksum(pseudo));
    }

    /// <summary>Whether the IP header and TCP checksums of <paramref name="packet"/> verify.</summary>
    public static bool ChecksumsValid(ReadOnlySpan<byte> packet)
    {
        if (Ipv4Packets.Checksum(packet[..20]) != 0)
            return false;
        var copy = packet.ToArray();
        var stored = BinaryPrimitives.ReadUInt16BigEndian(copy.AsSpan(36));
        SetTcpChecksum(copy);
        return BinaryPrimitives.ReadUInt16BigEndian(copy.AsSpan(36)) == stored;
    }

    /// <summary>Packet buffers holding <paramref name="packets"/> behind ESP-sized headroom, as the receive path leaves them.</summary>
    public static PacketBuffer[] Buffers(IEnumerable<byte[]> packets) =>
        packets.Select(p =>
        {
            var b = new PacketBuffer();
            b.SetInner(p);
            return b;
        }).ToArray();
}
