// The whole path with a real kernel at the gateway end: a client data plane (fake TUN)
// sends an ICMP echo request through ESP over loopback UDP to a gateway data plane whose
// TUN device lives in a throw-away network namespace; that namespace's kernel answers,
// and the echo reply comes back through the tunnel. Documentation addresses only.
using System.Buffers.Binary;
using System.Net;
using PostureGate.Esp.Devices.Fakes;
using PostureGate.Esp.Devices.Linux;
using PostureGate.Esp.Tests.Support;

namespace PostureGate.Esp.Tests.DataPlane;

public class KernelPingTests
{
    [SkippableFact]
    public void EchoThroughTheTunnelIsAnsweredByTheKernel()
    {
        NetnsRequirement.SkipUnlessAvailable();
        var ns = NetnsRequirement.UniqueName("pgesp");
        NetnsRequirement.Run("ip", "netns", "add", ns);
        try
        {
            using var tun = LinuxTunDevice.Create(NetnsRequirement.UniqueName("pgt"), 1400, ns);
            tun.AddAddress(IPAddress.Parse("192.0.2.1"), 24);
            NetnsRequirement.Run("ip", "-n", ns, "route", "add", "10.139.1.0/24", "dev", tun.Name);

            using var gatewayBind = LinuxUdpBind.Open(new IPEndPoint(IPAddress.Loopback, 0));
            using var clientBind = LinuxUdpBind.Open(new IPEndPoint(IPAddress.Loopback, 0));
            using var clientTun = new FakeTun();
            using var gateway = new EspDataPlane(tun, gatewayBind);
            using var client = new EspDataPlane(clientTun, clientBind);
            BackToBack.Install(gateway, client, TestSuite.Get("aes128gcm"), gatewayBind.LocalEndPoint, clientBind.LocalEndPoint);
            gateway.Start();
            client.Start();

            clientTun.Inject(Ipv4Packets.IcmpEcho("10.139.1.2", "192.0.2.1", identifier: 0x5047, sequence: 1));

            byte[]? reply = null;
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (reply is null && DateTime.UtcNow < deadline)
            {
                if (clientTun.TryTake(out var packet, TimeSpan.FromSeconds(1)) && packet is [0x45, ..] && packet[9] == 1 && packet[20] == 0)
                    reply = packet;
            }
            Assert.NotNull(reply);
            Assert.Equal("192.0.2.1", new IPAddress(reply.AsSpan(12, 4)).ToString());
            Assert.Equal("10.139.1.2", new IPAddress(reply.AsSpan(16, 4)).ToString());
            Assert.Equal(0x5047, BinaryPrimitives.ReadUInt16BigEndian(reply.AsSpan(24)));
            Assert.True(gateway.TryGetTunnelCounters(1, out var counters));
            Assert.Equal(1UL, counters.RxPackets);
            Assert.True(counters.TxPackets >= 1);
        }
        finally
        {
            NetnsRequirement.Run("ip", "netns", "del", ns);
        }
    }
}
