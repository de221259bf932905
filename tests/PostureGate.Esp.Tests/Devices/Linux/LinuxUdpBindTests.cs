// recvmmsg/sendmmsg on loopback: batches keep their order, lengths and source
// addresses; IPv4 destinations work from a dual-stack socket; an oversized datagram is
// handed on empty rather than truncated.
using System.Net;
using PostureGate.Esp.Devices;
using PostureGate.Esp.Devices.Linux;

namespace PostureGate.Esp.Tests.Devices.Linux;

public class LinuxUdpBindTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static List<byte[]> ReceiveAll(LinuxUdpBind bind, int count, List<IPEndPoint>? sources = null)
    {
        var got = new List<byte[]>();
        var batch = PacketBuffer.CreateBatch(16);
        using var timeout = new CancellationTokenSource(Wait);
        while (got.Count < count && !timeout.IsCancellationRequested)
        {
            var n = bind.Receive(batch, timeout.Token);
            for (var i = 0; i < n; i++)
            {
                got.Add(batch[i].Data.ToArray());
                sources?.Add(batch[i].RemoteEndPoint());
            }
        }
        return got;
    }

    [SkippableFact]
    public void BatchSentWithSendmmsg_ReceivedInOrderWithRecvmmsg()
    {
        Skip.IfNot(OperatingSystem.IsLinux());
        using var a = LinuxUdpBind.Open(new IPEndPoint(IPAddress.Loopback, 0), batchSize: 8);
        using var b = LinuxUdpBind.Open(new IPEndPoint(IPAddress.Loopback, 0));
        Assert.True(a.UsesBatchedSystemCalls);

        var packets = PacketBuffer.CreateBatch(20);
        for (var i = 0; i < packets.Length; i++)
        {
            var p = packets[i];
            p.Offset = 10 + i;
            p.Length = 100 + i;
            p.Array.AsSpan(p.Offset, p.Length).Fill((byte)i);
            p.Destination = b.LocalEndPoint;
        }
        a.Send(packets); // more than one batch of 8

        var sources = new List<IPEndPoint>();
        var got = ReceiveAll(b, packets.Length, sources);
        Assert.Equal(packets.Select(p => p.Data.ToArray()), got);
        Assert.All(sources, s => Assert.Equal(a.LocalEndPoint, s));
        Assert.Equal(0, a.SendErrors);
    }

    [SkippableFact]
    public void DualStackSocket_SendsToIpv4()
    {
        Skip.IfNot(OperatingSystem.IsLinux());
        using var v6 = LinuxUdpBind.Open(new IPEndPoint(IPAddress.IPv6Any, 0));
        using var v4 = LinuxUdpBind.Open(new IPEndPoint(IPAddress.Loopback, 0));
        var p = new PacketBuffer();
        p.SetInner([1, 2, 3, 4, 5]);
        p.Destination = v4.LocalEndPoint;
        v6.Send([p]);

        var sources = new List<IPEndPoint>();
        Assert.Equal([new byte[] { 1, 2, 3, 4, 5 }], ReceiveAll(v4, 1, sources));
        Assert.Equal(IPAddress.Loopback, sources[0].Address);
        Assert.Equal(v6.LocalEndPoint.Port, sources[0].Port);

        // And back: the reply reaches the dual-stack socket, its source decoded as plain IPv4.
        v4.SendTo([9, 9], new IPEndPoint(IPAddress.Loopback, v6.LocalEndPoint.Port));
        var back = new List<IPEndPoint>();
        Assert.Equal([new byte[] { 9, 9 }], ReceiveAll(v6, 1, back));
        Assert.Equal(v4.LocalEndPoint, back[0]);
    }

    [SkippableFact]
    public void DatagramLargerThanTheBuffer_HandedOnEmpty()
    {
        Skip.IfNot(OperatingSystem.IsLinux());
        using var a = LinuxUdpBind.Open(new IPEndPoint(IPAddress.Loopback, 0));
        using var b = LinuxUdpBind.Open(new IPEndPoint(IPAddress.Loopback, 0));
        a.SendTo(new byte[PacketBuffer.DefaultCapacity + 100], b.LocalEndPoint);
        var got = ReceiveAll(b, 1);
        Assert.Single(got);
        Assert.Empty(got[0]);
    }

    [SkippableFact]
    public void ReceiveReturnsZeroWhenCancelled()
    {
        Skip.IfNot(OperatingSystem.IsLinux());
        using var a = LinuxUdpBind.Open(new IPEndPoint(IPAddress.Loopback, 0));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Equal(0, a.Receive(PacketBuffer.CreateBatch(2), cancelled.Token));
    }
}
