using System.Buffers.Binary;
using PostureGate.Esp.Devices;
using PostureGate.Esp.Offload;
using PostureGate.Esp.Tests.Support;

namespace PostureGate.Esp.Tests.Offload;

public class TcpCoalescerTests
{
    private readonly TcpCoalescer _coalescer = new(256);

    [Fact]
    public void InOrderRun_OneGsoPacket_ThatSplitsBackIntoTheSameSegments()
    {
        var run = TcpSegments.Run(TcpSegments.A, 20, lastPayload: 700, lastFlags: 0x18);
        var buffers = TcpSegments.Buffers(run);

        Assert.Equal(1, _coalescer.Plan(buffers));
        ref var unit = ref _coalescer[0];
        Assert.Equal(20, unit.Count);
        Assert.Equal(1348, unit.GsoSize);

        var frame = KernelView(ref unit, buffers, out var header);
        Assert.Equal(VirtioGsoType.TcpV4, header.GsoType);
        Assert.True(header.NeedsCsum);
        Assert.Equal(52, header.HeaderLength);
        Assert.Equal(20 + 32 + 19 * 1348 + 700, BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(VirtioNetHeader.Size + 2)));
        // What the kernel delivers after finishing the checksum is a valid TCP segment...
        Assert.True(TcpSegments.ChecksumsValid(frame.AsSpan(VirtioNetHeader.Size)));
        // ...carrying PSH from the last segment, and segmenting it gives back exactly the originals.
        Assert.Equal(0x18, frame[VirtioNetHeader.Size + 33]);
        Assert.Equal(run, Split(frame));
    }

    [Fact]
    public void SequenceGap_StartsANewUnit()
    {
        var first = TcpSegments.Run(TcpSegments.A, 3, sequence: 1000, id: 1);
        var after = TcpSegments.Run(TcpSegments.A, 3, sequence: 1000 + (4 * 1348), id: 5);
        var buffers = TcpSegments.Buffers(first.Concat(after));

        Assert.Equal(2, _coalescer.Plan(buffers));
        Assert.Equal((0, 3), (_coalescer[0].Head, _coalescer[0].Count));
        Assert.Equal((3, 3), (_coalescer[1].Head, _coalescer[1].Count));
    }

    [Fact]
    public void InterleavedFlows_EachMerged_PerFlowOrderKept()
    {
        var a = TcpSegments.Run(TcpSegments.A, 4, sequence: 100, id: 1);
        var b = TcpSegments.Run(TcpSegments.B, 4, sequence: 9000, id: 50);
        var mixed = new List<byte[]>();
        for (var i = 0; i < 4; i++)
        {
            mixed.Add(a[i]);
            mixed.Add(b[i]);
        }
        var buffers = TcpSegments.Buffers(mixed);

        Assert.Equal(2, _coalescer.Plan(buffers));
        Assert.Equal(new[] { 0, 2, 4, 6 }, Members(0));
        Assert.Equal(new[] { 1, 3, 5, 7 }, Members(1));
    }

    [Fact]
    public void ShortSegment_EndsTheUnit()
    {
        var run = TcpSegments.Run(TcpSegments.A, 3, lastPayload: 100);
        var next = TcpSegments.Segment(TcpSegments.A, 5000 + (2 * 1348) + 100, 1348, id: 13);
        var buffers = TcpSegments.Buffers(run.Append(next));
        Assert.Equal(2, _coalescer.Plan(buffers));
        Assert.Equal(3, _coalescer[0].Count);
        Assert.Equal(3, _coalescer[1].Head);
    }

    [Fact]
    public void PushSegment_EndsTheUnit_AndAPushHeadStandsAlone()
    {
        var push = TcpSegments.Segment(TcpSegments.A, 5000, 1348, flags: 0x18);
        var next = TcpSegments.Segment(TcpSegments.A, 5000 + 1348, 1348, id: 2);
        var buffers = TcpSegments.Buffers([push, next]);
        Assert.Equal(2, _coalescer.Plan(buffers));
        Assert.Equal(1, _coalescer[0].Count);
    }

    [Theory]
    [InlineData(0x02)] // SYN
    [InlineData(0x11)] // FIN
    [InlineData(0x14)] // RST
    [InlineData(0x30)] // URG
    [InlineData(0x50)] // ECE
    [InlineData(0x90)] // CWR
    public void ControlFlags_AreNeverMerged(byte flags)
    {
        var first = TcpSegments.Segment(TcpSegments.A, 5000, 1348);
        var odd = TcpSegments.Segment(TcpSegments.A, 5000 + 1348, 1348, id: 2, flags: flags);
        var buffers = TcpSegments.Buffers([first, odd]);
        Assert.Equal(2, _coalescer.Plan(buffers));
    }

    [Fact]
    public void DifferentAckWindowOptionsTtlOrTos_AreNotMerged()
    {
        var variants = new[]
        {
            TcpSegments.Segment(TcpSegments.A, 5000 + 1348, 1348, id: 2, ack: 2000),
            TcpSegments.Segment(TcpSegments.A, 5000 + 1348, 1348, id: 2, window: 900),
            TcpSegments.Segment(TcpSegments.A, 5000 + 1348, 1348, id: 2, timestamp: 78),
            TcpSegments.Segment(TcpSegments.A, 5000 + 1348, 1348, id: 2, ttl: 63),
            TcpSegments.Segment(TcpSegments.A, 5000 + 1348, 1348, id: 2, tos: 0x03),
        };
        foreach (var variant in variants)
        {
            var buffers = TcpSegments.Buffers([TcpSegments.Segment(TcpSegments.A, 5000, 1348), variant]);
            Assert.Equal(2, _coalescer.Plan(buffers));
        }
    }

    [Fact]
    public void PureAckOfTheFlow_ClosesItsUnit_SoLaterDataIsWrittenAfterIt()
    {
        var d1 = TcpSegments.Segment(TcpSegments.A, 5000, 1348, id: 1);
        var ack = TcpSegments.Segment(TcpSegments.A, 6348, 0, id: 2);
        var d2 = TcpSegments.Segment(TcpSegments.A, 6348, 1348, id: 3);
        var buffers = TcpSegments.Buffers([d1, ack, d2]);
        Assert.Equal(3, _coalescer.Plan(buffers));
        Assert.Equal(new[] { 0, 1, 2 }, new[] { _coalescer[0].Head, _coalescer[1].Head, _coalescer[2].Head });
    }

    [Fact]
    public void NonTcpPackets_AreUnitsOfTheirOwn_InOrder()
    {
        var udp = Ipv4Packets.Udp("192.0.2.200", "203.0.113.10", 100);
        var icmp = Ipv4Packets.IcmpEcho("192.0.2.200", "203.0.113.10", 1, 1);
        var buffers = TcpSegments.Buffers([udp, icmp, udp]);
        Assert.Equal(3, _coalescer.Plan(buffers));
        Assert.All(Enumerable.Range(0, 3), u => Assert.Equal(u, _coalescer[u].Head));
    }

    [Fact]
    public void AUnitHoldsAtMost64Segments_AndMergeFalseMergesNothing()
    {
        var buffers = TcpSegments.Buffers(TcpSegments.Run(TcpSegments.A, 100, mss: 500));
        Assert.Equal(2, _coalescer.Plan(buffers));
        Assert.Equal(TcpCoalescer.MaxSegments, _coalescer[0].Count);
        Assert.Equal(100, _coalescer.Plan(buffers, merge: false));
    }

    [Fact]
    public void AUnitStaysWithin64KiB()
    {
        var buffers = TcpSegments.Buffers(TcpSegments.Run(TcpSegments.A, 60, mss: 1460));
        _coalescer.Plan(buffers);
        Assert.True(_coalescer[0].TotalLength <= ushort.MaxValue);
        Assert.Equal((ushort.MaxValue - 52) / 1460, _coalescer[0].Count);
    }

    [Fact]
    public void Unseal_RestoresTheFirstSegment()
    {
        var run = TcpSegments.Run(TcpSegments.A, 5, lastFlags: 0x18);
        var buffers = TcpSegments.Buffers(run);
        _coalescer.Plan(buffers);
        ref var unit = ref _coalescer[0];
        _coalescer.Seal(ref unit, buffers, new byte[VirtioNetHeader.Size]);
        Assert.NotEqual(run[0], buffers[0].Data.ToArray());
        TcpCoalescer.Unseal(ref unit, buffers);
        Assert.Equal(run[0], buffers[0].Data.ToArray());
    }

    private int[] Members(int unit)
    {
        var list = new List<int>();
        for (var m = _coalescer[unit].Head; m >= 0; m = _coalescer.NextMember(m))
            list.Add(m);
        return [.. list];
    }

    // The frame a TUN device receives for a sealed unit, with the checksum finished as the
    // kernel does for CHECKSUM_PARTIAL (sum from csum_start, the seeded field included).
    private byte[] KernelView(ref TcpCoalescer.Unit unit, PacketBuffer[] buffers, out VirtioNetHeader header)
    {
        var virtio = new byte[VirtioNetHeader.Size];
        _coalescer.Seal(ref unit, buffers, virtio);
        header = VirtioNetHeader.Read(virtio);
        var frame = new List<byte>(virtio);
        frame.AddRange(buffers[unit.Head].Data.ToArray());
        for (var m = _coalescer.NextMember(unit.Head); m >= 0; m = _coalescer.NextMember(m))
            frame.AddRange(buffers[m].Data[header.HeaderLength..].ToArray());
        var bytes = frame.ToArray();
        var packet = bytes.AsSpan(VirtioNetHeader.Size);
        var covered = packet[header.CsumStart..];
        BinaryPrimitives.WriteUInt16BigEndian(covered[header.CsumOffset..], Ipv4Packets.Checksum(covered));
        return bytes;
    }

    // What the kernel's own TSO would produce from the frame, via the read-side splitter.
    private static List<byte[]> Split(byte[] frame)
    {
        var splitter = new TunPacketSplitter();
        frame.CopyTo(splitter.Frame, 0);
        Assert.True(splitter.Accept(frame.Length));
        var output = PacketBuffer.CreateBatch(128);
        foreach (var b in output)
            b.ResetForInner();
        var n = splitter.Drain(output);
        return output.Take(n).Select(b => b.Data.ToArray()).ToList();
    }
}
