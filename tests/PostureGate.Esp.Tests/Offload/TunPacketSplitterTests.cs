using System.Buffers.Binary;
using PostureGate.Esp.Devices;
using PostureGate.Esp.Offload;
using PostureGate.Esp.Tests.Support;

namespace PostureGate.Esp.Tests.Offload;

public class TunPacketSplitterTests
{
    [Fact]
    public void GsoPacket_LargerThanTheBatch_IsHandedOutOverSeveralDrains()
    {
        var run = TcpSegments.Run(TcpSegments.A, 30, mss: 1000, lastPayload: 1);
        var splitter = Load(SuperPacket(run, 1000));

        var batch = Batch(8);
        var got = new List<byte[]>();
        while (splitter.HasPending)
        {
            var n = splitter.Drain(batch);
            Assert.InRange(n, 1, 8);
            got.AddRange(batch.Take(n).Select(b => b.Data.ToArray()));
        }
        Assert.Equal(run, got);
        Assert.All(got, s => Assert.True(TcpSegments.ChecksumsValid(s)));
        Assert.Equal(0, splitter.Dropped);
    }

    [Fact]
    public void SegmentsPlacedAtEachBuffersOffset_LeavingTheHeadroom()
    {
        var run = TcpSegments.Run(TcpSegments.A, 2);
        var splitter = Load(SuperPacket(run, 1348));
        var batch = Batch(4);
        Assert.Equal(2, splitter.Drain(batch));
        Assert.Equal(PacketBuffer.Headroom, batch[0].Offset);
        Assert.Equal(run[1], batch[1].Data.ToArray());
    }

    [Fact]
    public void FinAndPush_OnlyOnTheLastSegment_CwrOnlyOnTheFirst()
    {
        var run = TcpSegments.Run(TcpSegments.A, 3);
        var super = SuperPacket(run, 1348);
        super[VirtioNetHeader.Size + 33] = 0x10 | 0x08 | 0x01 | 0x80; // ACK PSH FIN CWR on the super-packet
        var batch = Batch(4);
        Assert.Equal(3, Load(super).Drain(batch));
        Assert.Equal(0x90, batch[0].Data[33]);
        Assert.Equal(0x10, batch[1].Data[33]);
        Assert.Equal(0x19, batch[2].Data[33]);
        Assert.All(batch.Take(3), b => Assert.True(TcpSegments.ChecksumsValid(b.Data)));
    }

    [Fact]
    public void NeedsCsum_WithoutGso_TheChecksumIsFinished()
    {
        var udp = Ipv4Packets.Udp("192.0.2.200", "203.0.113.10", 300);
        var expected = udp.ToArray();
        // As the kernel leaves it: the UDP checksum field holds only the pseudo-header sum.
        var pseudo = InternetChecksum.PseudoHeaderSum(udp.AsSpan(12, 8), 17, udp.Length - 20);
        BinaryPrimitives.WriteUInt16BigEndian(expected.AsSpan(26), InternetChecksum.Compute(expected.AsSpan(20), pseudo));
        BinaryPrimitives.WriteUInt16BigEndian(udp.AsSpan(26), InternetChecksum.Fold(pseudo));
        var frame = new byte[VirtioNetHeader.Size + udp.Length];
        new VirtioNetHeader { Flags = VirtioNetHeader.FlagNeedsCsum, CsumStart = 20, CsumOffset = 6 }.Write(frame);
        udp.CopyTo(frame, VirtioNetHeader.Size);

        var batch = Batch(2);
        Assert.Equal(1, Load(frame).Drain(batch));
        Assert.Equal(expected, batch[0].Data.ToArray());
    }

    [Fact]
    public void PlainFrame_IsCopiedUnchanged()
    {
        var icmp = Ipv4Packets.IcmpEcho("192.0.2.200", "203.0.113.10", 9, 9);
        var frame = new byte[VirtioNetHeader.Size].Concat(icmp).ToArray();
        var batch = Batch(1);
        Assert.Equal(1, Load(frame).Drain(batch));
        Assert.Equal(icmp, batch[0].Data.ToArray());
    }

    [Theory]
    [InlineData("short")]
    [InlineData("udp-gso")]
    [InlineData("tcpv6-gso")]
    [InlineData("gso-size-zero")]
    [InlineData("gso-not-tcp")]
    [InlineData("csum-out-of-range")]
    public void MalformedOrUnnegotiatedFrames_AreDroppedAndCounted(string kind)
    {
        var segment = TcpSegments.Segment(TcpSegments.A, 1, 100);
        var header = kind switch
        {
            "udp-gso" => new VirtioNetHeader { GsoTypeAndEcn = (byte)VirtioGsoType.UdpL4, GsoSize = 50 },
            "tcpv6-gso" => new VirtioNetHeader { GsoTypeAndEcn = (byte)VirtioGsoType.TcpV6, GsoSize = 50 },
            "gso-size-zero" => new VirtioNetHeader { GsoTypeAndEcn = (byte)VirtioGsoType.TcpV4 },
            "csum-out-of-range" => new VirtioNetHeader { Flags = VirtioNetHeader.FlagNeedsCsum, CsumStart = 150, CsumOffset = 16 },
            _ => new VirtioNetHeader { GsoTypeAndEcn = (byte)VirtioGsoType.TcpV4, GsoSize = 50 },
        };
        var payload = kind == "gso-not-tcp" ? Ipv4Packets.Udp("192.0.2.1", "192.0.2.2", 100) : segment;
        var frame = new byte[VirtioNetHeader.Size + payload.Length];
        header.Write(frame);
        payload.CopyTo(frame, VirtioNetHeader.Size);
        var length = kind == "short" ? VirtioNetHeader.Size : frame.Length;

        var splitter = new TunPacketSplitter();
        frame.CopyTo(splitter.Frame, 0);
        Assert.False(splitter.Accept(length));
        Assert.False(splitter.HasPending);
        Assert.Equal(0, splitter.Drain(Batch(4)));
        Assert.Equal(1, splitter.Dropped);
    }

    [Fact]
    public void SegmentTooLargeForTheBuffers_IsDropped()
    {
        var big = TcpSegments.Run(TcpSegments.A, 2, mss: 3000);
        var splitter = Load(SuperPacket(big, 3000));
        Assert.Equal(0, splitter.Drain(Batch(4)));
        Assert.True(splitter.Dropped >= 1);
        Assert.False(splitter.HasPending);
    }

    // The super-packet the kernel's TSO would hand over for a run of segments: the first
    // segment's headers, every payload, gso_size = the full segment payload.
    internal static byte[] SuperPacket(List<byte[]> run, int gsoSize)
    {
        var headers = 52;
        var total = headers + run.Sum(s => s.Length - headers);
        var packet = new byte[total];
        run[0].AsSpan(0, headers).CopyTo(packet);
        var at = headers;
        foreach (var s in run)
        {
            s.AsSpan(headers).CopyTo(packet.AsSpan(at));
            at += s.Length - headers;
        }
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)total);
        packet[33] = run[^1][33];
        var frame = new byte[VirtioNetHeader.Size + total];
        new VirtioNetHeader
        {
            Flags = VirtioNetHeader.FlagNeedsCsum,
            GsoTypeAndEcn = (byte)VirtioGsoType.TcpV4,
            HeaderLength = (ushort)headers,
            GsoSize = (ushort)gsoSize,
            CsumStart = 20,
            CsumOffset = 16,
        }.Write(frame);
        packet.CopyTo(frame, VirtioNetHeader.Size);
        return frame;
    }

    private static TunPacketSplitter Load(byte[] frame)
    {
        var splitter = new TunPacketSplitter();
        frame.CopyTo(splitter.Frame, 0);
        Assert.True(splitter.Accept(frame.Length));
        return splitter;
    }

    private static PacketBuffer[] Batch(int n)
    {
        var batch = PacketBuffer.CreateBatch(n);
        foreach (var b in batch)
            b.ResetForInner();
        return batch;
    }
}
