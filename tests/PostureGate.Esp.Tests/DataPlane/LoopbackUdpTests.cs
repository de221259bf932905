// The data plane over the real Linux bind: two planes on 127.0.0.1 exchanging ESP in UDP
// through recvmmsg/sendmmsg, with fake TUN devices at both ends.
using System.Net;
using PostureGate.Esp.Devices.Fakes;
using PostureGate.Esp.Devices.Linux;
using PostureGate.Esp.Tests.Support;

namespace PostureGate.Esp.Tests.DataPlane;

public class LoopbackUdpTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [SkippableFact]
    public void BurstBothWaysThroughRecvmmsgAndSendmmsg()
    {
        Skip.IfNot(OperatingSystem.IsLinux());
        using var gatewayBind = LinuxUdpBind.Open(new IPEndPoint(IPAddress.Loopback, 0));
        using var clientBind = LinuxUdpBind.Open(new IPEndPoint(IPAddress.Loopback, 0));
        using var gatewayTun = new FakeTun("gw0");
        using var clientTun = new FakeTun("cl0");
        using var gateway = new EspDataPlane(gatewayTun, gatewayBind);
        using var client = new EspDataPlane(clientTun, clientBind);
        BackToBack.Install(gateway, client, TestSuite.Get("aes256-sha256"), gatewayBind.LocalEndPoint, clientBind.LocalEndPoint);
        gateway.Start();
        client.Start();

        var up = Enumerable.Range(0, 200).Select(i => Ipv4Packets.Udp("10.139.1.2", "192.0.2.7", 50 + i * 5)).ToList();
        var down = Enumerable.Range(0, 200).Select(i => Ipv4Packets.Udp("192.0.2.7", "10.139.1.2", 1300 - i)).ToList();
        // In rounds of 50, so an unprivileged run (socket buffers capped by sysctl) cannot overflow.
        for (var round = 0; round < 4; round++)
        {
            foreach (var p in up.Skip(round * 50).Take(50))
                clientTun.Inject(p);
            foreach (var p in down.Skip(round * 50).Take(50))
                gatewayTun.Inject(p);
            foreach (var expected in up.Skip(round * 50).Take(50))
            {
                Assert.True(gatewayTun.TryTake(out var got, Wait));
                Assert.Equal(expected, got);
            }
            foreach (var expected in down.Skip(round * 50).Take(50))
            {
                Assert.True(clientTun.TryTake(out var got, Wait));
                Assert.Equal(expected, got);
            }
        }
        Assert.True(gateway.TryGetTunnelCounters(1, out var counters));
        Assert.Equal(200UL, counters.RxPackets);
        Assert.Equal(200UL, counters.TxPackets);
    }
}
