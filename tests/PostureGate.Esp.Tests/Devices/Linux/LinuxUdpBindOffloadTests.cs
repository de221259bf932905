// UDP GSO and GRO in LinuxUdpBind over loopback (udp(7) UDP_SEGMENT/UDP_GRO; the loopback
// device passes GSO messages whole, so no root is needed): a run leaves as one message yet
// arrives as its datagrams at a plain socket; a GRO receiver cuts coalesced buffers apart
// across small receive spans; mixed sizes, a disabled offload and a kernel refusing GSO all
// still deliver every datagram in order.
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using PostureGate.Esp.Devices;
using PostureGate.Esp.Devices.Linux;

namespace PostureGate.Esp.Tests.Devices.Linux;

public class LinuxUdpBindOffloadTests
{
    private const int SOL_SOCKET = 1; // <asm-generic/socket.h>
    private const int SO_NO_CHECK = 11;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    // A datagram whose bytes name its index, so any loss, reordering or mix-up shows.
    private static PacketBuffer Packet(int index, int length, IPEndPoint destination)
    {
        var p = new PacketBuffer();
        p.Offset = PacketBuffer.Headroom;
        p.Length = length;
        var data = p.Data;
        for (var i = 0; i < data.Length; i++)
            data[i] = (byte)(index * 31 + i);
        if (length >= 4)
            BinaryPrimitives.WriteInt32BigEndian(data, index);
        p.Destination = destination;
        return p;
    }

    private static List<(byte[] Data, IPEndPoint Source)> ReceiveAll(LinuxUdpBind bind, int count, int span = 8)
    {
        var got = new List<(byte[], IPEndPoint)>();
        var batch = PacketBuffer.CreateBatch(span);
        using var timeout = new CancellationTokenSource(Wait);
        while (got.Count < count && !timeout.IsCancellationRequested)
        {
            var n = bind.Receive(batch, timeout.Token);
            for (var i = 0; i < n; i++)
                got.Add((batch[i].Data.ToArray(), batch[i].RemoteEndPoint()));
        }
        return got;
    }

    private static Socket PlainReceiver()
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = (int)Wait.TotalMilliseconds };
        s.ReceiveBufferSize = 4 << 20;
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return s;
    }

    private static List<byte[]> ReceivePlain(Socket socket, int count)
    {
        var got = new List<byte[]>();
        var buffer = new byte[1 << 16];
        try
        {
            while (got.Count < count)
                got.Add(buffer.AsSpan(0, socket.Receive(buffer)).ToArray());
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
        {
            // Fewer than expected arrived: the assertion on the list says so.
        }
        return got;
    }

    private static byte[][] Contents(IEnumerable<PacketBuffer> packets) => packets.Select(p => p.Data.ToArray()).ToArray();

    [Fact]
    public void Run_EqualSizesAndAShorterLast_OneMessage()
    {
        var a = new IPEndPoint(IPAddress.Loopback, 1000);
        var b = new IPEndPoint(IPAddress.Loopback, 2000);
        PacketBuffer[] packets =
        [
            .. Enumerable.Range(0, 40).Select(i => Packet(i, 1200, a)),
            Packet(40, 300, a),
            .. Enumerable.Range(41, 5).Select(i => Packet(i, 800, new IPEndPoint(IPAddress.Loopback, 2000))),
        ];
        Assert.Equal(41, UdpGsoRun.Length(packets));
        Assert.Equal(5, UdpGsoRun.Length(packets.AsSpan(41))); // equal endpoints, distinct objects
        Assert.Equal(1, UdpGsoRun.Length(packets.AsSpan(40)));  // the short one ended its run
    }

    [Fact]
    public void Run_StopsAtALongerPacket_OtherDestination_EmptyPacket()
    {
        var a = new IPEndPoint(IPAddress.Loopback, 1000);
        Assert.Equal(2, UdpGsoRun.Length([Packet(0, 500, a), Packet(1, 500, a), Packet(2, 501, a)]));
        Assert.Equal(1, UdpGsoRun.Length([Packet(0, 500, a), Packet(1, 500, new IPEndPoint(IPAddress.Loopback, 1001))]));
        Assert.Equal(1, UdpGsoRun.Length([Packet(0, 500, a), Packet(1, 0, a)]));
        Assert.Equal(1, UdpGsoRun.Length([Packet(0, 0, a), Packet(1, 0, a)]));
    }

    [Fact]
    public void Run_CappedAt64SegmentsAnd65507Octets()
    {
        var a = new IPEndPoint(IPAddress.Loopback, 1000);
        var small = Enumerable.Range(0, 100).Select(i => Packet(i, 100, a)).ToArray();
        Assert.Equal(UdpGsoRun.MaxSegments, UdpGsoRun.Length(small));
        var large = Enumerable.Range(0, 60).Select(i => Packet(i, 1436, a)).ToArray();
        Assert.Equal(UdpGsoRun.MaxPayload / 1436, UdpGsoRun.Length(large)); // 45
    }

    [Fact]
    public unsafe void GroControl_ReadsGsoSize_IgnoresOthersAndMalformed()
    {
        var control = stackalloc byte[64];
        new Span<byte>(control, 64).Clear();
        // First an unrelated SOL_IP message (IP_TOS, one octet), then UDP_GRO.
        *(nuint*)control = 17;
        *(int*)(control + 8) = 0;
        *(int*)(control + 12) = 1;
        *(nuint*)(control + 24) = 20;
        *(int*)(control + 32) = 17;
        *(int*)(control + 36) = 104;
        *(int*)(control + 40) = 1436;
        Assert.Equal(1436, UdpGsoControl.ReadGroSize(control, 48));
        Assert.Equal(0, UdpGsoControl.ReadGroSize(control, 24)); // the GRO message cut off
        *(nuint*)control = 8; // "BadLength": shorter than its own header ends the walk
        Assert.Equal(0, UdpGsoControl.ReadGroSize(control, 48));
    }

    [Fact]
    public unsafe void GsoControl_WritesUdpSegment()
    {
        var control = stackalloc byte[UdpGsoControl.SegmentSpace];
        var length = UdpGsoControl.WriteSegment(control, 1436);
        Assert.Equal(24, length);
        Assert.Equal((nuint)18, *(nuint*)control);
        Assert.Equal(17, *(int*)(control + 8));
        Assert.Equal(103, *(int*)(control + 12));
        Assert.Equal((ushort)1436, *(ushort*)(control + 16));
    }

    [SkippableFact]
    public void Gso_TwoDestinations_PlainSocketsReceiveEachDatagramInOrder()
    {
        Skip.IfNot(OperatingSystem.IsLinux());
        using var sender = LinuxUdpBind.Open(new IPEndPoint(IPAddress.Loopback, 0));
        using var first = PlainReceiver();
        using var second = PlainReceiver();
        Assert.True(sender.UsesGso);
        var toFirst = (IPEndPoint)first.LocalEndPoint!;
        var toSecond = (IPEndPoint)second.LocalEndPoint!;
        PacketBuffer[] packets =
        [
            .. Enumerable.Range(0, 40).Select(i => Packet(i, 1000, toFirst)),
            Packet(40, 123, toFirst),
            .. Enumerable.Range(41, 5).Select(i => Packet(i, 700, toSecond)),
        ];

        sender.Send(packets);

        // Had the kernel not cut the run at the segment size, one 40 123-octet datagram would arrive.
        Assert.Equal(Contents(packets[..41]), ReceivePlain(first, 41));
        Assert.Equal(Contents(packets[41..]), ReceivePlain(second, 5));
        Assert.True(sender.UsesGso);
        Assert.Equal(0, sender.SendErrors);
    }

    [SkippableFact]
    public void GsoToGro_SmallReceiveSpan_AllDatagramsInOrderAcrossCalls()
    {
        Skip.IfNot(OperatingSystem.IsLinux());
        using var sender = LinuxUdpBind.Open(new IPEndPoint(IPAddress.Loopback, 0));
        using var receiver = LinuxUdpBind.Open(new IPEndPoint(IPAddress.Loopback, 0));
        Assert.True(receiver.UsesGro);
        // 100 full segments and a short one: messages of 45, 45 and 11 datagrams.
        PacketBuffer[] packets =
        [
            .. Enumerable.Range(0, 100).Select(i => Packet(i, 1436, receiver.LocalEndPoint)),
            Packet(100, 99, receiver.LocalEndPoint),
        ];
        sender.Send(packets);

        var batch = PacketBuffer.CreateBatch(8);
        using var timeout = new CancellationTokenSource(Wait);
        Assert.Equal(8, receiver.Receive(batch, timeout.Token));
        // Eight datagrams out of a coalesced buffer of 45: the rest waits for the next call.
        Assert.True(receiver.HasPendingCoalesced);
        var got = batch.Select(p => (p.Data.ToArray(), p.RemoteEndPoint())).ToList();
        got.AddRange(ReceiveAll(receiver, packets.Length - 8, span: 8));

        Assert.Equal(Contents(packets), got.Select(g => g.Item1));
        Assert.All(got, g => Assert.Equal(sender.LocalEndPoint, g.Item2));
        Assert.False(receiver.HasPendingCoalesced);
    }

    [SkippableFact]
    public void Gro_TwoSenders_EachSourceInOrder()
    {
        Skip.IfNot(OperatingSystem.IsLinux());
        using var a = LinuxUdpBind.Open(new IPEndPoint(IPAddress.Loopback, 0));
        using var b = LinuxUdpBind.Open(new IPEndPoint(IPAddress.Loopback, 0));
        using var receiver = LinuxUdpBind.Open(new IPEndPoint(IPAddress.Loopback, 0));
        var fromA = Enumerable.Range(0, 30).Select(i => Packet(i, 1200, receiver.LocalEndPoint)).ToArray();
        var fromB = Enumerable.Range(1000, 20).Select(i => Packet(i, 600, receiver.LocalEndPoint)).ToArray();
        a.Send(fromA);
        b.Send(fromB);

        var got = ReceiveAll(receiver, 50, span: 7);
        Assert.Equal(Contents(fromA), got.Where(g => g.Source.Equals(a.LocalEndPoint)).Select(g => g.Data));
        Assert.Equal(Contents(fromB), got.Where(g => g.Source.Equals(b.LocalEndPoint)).Select(g => g.Data));
        Assert.Equal(50, got.Count);
    }

    [SkippableFact]
    public void MixedSizesAndDestinations_NoRun_AllArrive()
    {
        Skip.IfNot(OperatingSystem.IsLinux());
        using var sender = LinuxUdpBind.Open(new IPEndPoint(IPAddress.Loopback, 0));
        using var first = LinuxUdpBind.Open(new IPEndPoint(IPAddress.Loopback, 0));
        using var second = LinuxUdpBind.Open(new IPEndPoint(IPAddress.Loopback, 0));
        // Growing lengths and alternating destinations: no two neighbours may share a message.
        var packets = Enumerable.Range(0, 40)
            .Select(i => Packet(i, 100 + 13 * i, i % 3 == 0 ? second.LocalEndPoint : first.LocalEndPoint))
            .ToArray();
        sender.Send(packets);

        var toFirst = packets.Where(p => p.Destination!.Equals(first.LocalEndPoint)).ToArray();
        var toSecond = packets.Where(p => p.Destination!.Equals(second.LocalEndPoint)).ToArray();
        Assert.Equal(Contents(toFirst), ReceiveAll(first, toFirst.Length).Select(g => g.Data));
        Assert.Equal(Contents(toSecond), ReceiveAll(second, toSecond.Length).Select(g => g.Data));
        Assert.Equal(0, sender.SendErrors);
    }

    [SkippableFact]
    public void OffloadsOff_PlainBatchesStillDeliver()
    {
        Skip.IfNot(OperatingSystem.IsLinux());
        using var sender = LinuxUdpBind.Open(new IPEndPoint(IPAddress.Loopback, 0), offload: UdpOffload.None);
        using var receiver = LinuxUdpBind.Open(new IPEndPoint(IPAddress.Loopback, 0), offload: UdpOffload.None);
        Assert.False(sender.UsesGso);
        Assert.False(receiver.UsesGro);
        var packets = Enumerable.Range(0, 30).Select(i => Packet(i, 1436, receiver.LocalEndPoint)).ToArray();
        sender.Send(packets);

        var got = ReceiveAll(receiver, packets.Length);
        Assert.Equal(Contents(packets), got.Select(g => g.Data));
        Assert.All(got, g => Assert.Equal(sender.LocalEndPoint, g.Source));
    }

    [SkippableFact]
    public void KernelRefusesGso_TurnedOffAndEveryDatagramResent()
    {
        Skip.IfNot(OperatingSystem.IsLinux());
        using var sender = LinuxUdpBind.Open(new IPEndPoint(IPAddress.Loopback, 0));
        using var receiver = LinuxUdpBind.Open(new IPEndPoint(IPAddress.Loopback, 0));
        Assert.True(sender.UsesGso);
        // udp_send_skb() refuses GSO with EINVAL on a socket that sends without UDP checksums
        // (SO_NO_CHECK), while plain IPv4 datagrams still go (checksum 0, RFC 768).
        sender.Socket.SetRawSocketOption(SOL_SOCKET, SO_NO_CHECK, BitConverter.GetBytes(1));
        PacketBuffer[] packets =
        [
            Packet(0, 500, receiver.LocalEndPoint), // a plain message before the refused one
            .. Enumerable.Range(1, 30).Select(i => Packet(i, 1000, receiver.LocalEndPoint)),
            Packet(31, 10, new IPEndPoint(IPAddress.Loopback, receiver.LocalEndPoint.Port)),
        ];

        sender.Send(packets);

        Assert.False(sender.UsesGso);
        Assert.Equal(Contents(packets), ReceiveAll(receiver, packets.Length).Select(g => g.Data));
        Assert.Equal(0, sender.SendErrors);
    }

    [SkippableFact]
    public void DualStackSender_GsoRunToIpv4()
    {
        Skip.IfNot(OperatingSystem.IsLinux());
        using var sender = LinuxUdpBind.Open(new IPEndPoint(IPAddress.IPv6Any, 0));
        using var receiver = LinuxUdpBind.Open(new IPEndPoint(IPAddress.Loopback, 0));
        var packets = Enumerable.Range(0, 20).Select(i => Packet(i, 1300, receiver.LocalEndPoint)).ToArray();
        sender.Send(packets);

        var got = ReceiveAll(receiver, packets.Length);
        Assert.Equal(Contents(packets), got.Select(g => g.Data));
        Assert.All(got, g => Assert.Equal(sender.LocalEndPoint.Port, g.Source.Port));
        Assert.True(sender.UsesGso);
    }

    [SkippableFact]
    public void SteadyState_GsoSendAndGroReceive_AllocateNothing()
    {
        Skip.IfNot(OperatingSystem.IsLinux());
        using var sender = LinuxUdpBind.Open(new IPEndPoint(IPAddress.Loopback, 0));
        using var receiver = LinuxUdpBind.Open(new IPEndPoint(IPAddress.Loopback, 0));
        var packets = Enumerable.Range(0, 64).Select(i => Packet(i, 1436, receiver.LocalEndPoint)).ToArray();
        var batch = PacketBuffer.CreateBatch(16);
        using var timeout = new CancellationTokenSource(Wait);
        long received = 0;
        void Round()
        {
            sender.Send(packets);
            var goal = received + packets.Length;
            while (received < goal && !timeout.IsCancellationRequested)
                received += receiver.Receive(batch, timeout.Token);
        }
        Round(); // warm up

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 20; i++)
            Round();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(21 * packets.Length, received);
        Assert.Equal(0, allocated);
        Assert.True(sender.UsesGso && receiver.UsesGro);
    }
}
