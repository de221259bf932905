// Whatever arrives on the NAT-T port is attacker-controlled: no datagram may throw, be
// delivered, or move an SA's state unless it authenticates.
using System.Buffers.Binary;
using System.Net;
using PostureGate.Esp.Devices;
using PostureGate.Esp.Devices.Fakes;
using PostureGate.Esp.Tests.Support;

namespace PostureGate.Esp.Tests.DataPlane;

public class HostileInputTests
{
    [Theory]
    [MemberData(nameof(TestSuite.Names), MemberType = typeof(TestSuite))]
    public void RandomDatagrams_NeverThrow_NeverDeliver_NeverMoveTheWindow(string name)
    {
        var suite = TestSuite.Get(name);
        var peer = new IPEndPoint(IPAddress.Parse("198.51.100.20"), 4500);
        using var plane = new EspDataPlane(new FakeTun(), new NullBind(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 4500)));
        plane.AddChildSa(suite.Config(0x1001, 1, peer), suite.Config(0x2001, 2, peer), IPAddress.Parse("10.139.1.2"), 1);
        var random = new Random(4303);
        var batch = PacketBuffer.CreateBatch(32);
        var deliver = new PacketBuffer[32];
        for (var round = 0; round < 200; round++)
        {
            foreach (var b in batch)
            {
                b.Offset = 0;
                b.Length = random.Next(0, 200);
                random.NextBytes(b.Array.AsSpan(0, b.Length));
                // Half of them carry the installed SPI, so they reach the SA's checks.
                if (b.Length >= 8 && random.Next(2) == 0)
                    BinaryPrimitives.WriteUInt32BigEndian(b.Array, 0x1001);
            }
            Assert.Equal(0, plane.ProcessInbound(batch, deliver));
        }
        Assert.True(plane.TryGetChildSaCounters(0x1001, out var inbound, out _));
        Assert.Equal(0UL, inbound.Packets);
        Assert.True(inbound.AuthFailures + inbound.MalformedDrops + inbound.ReplayDrops > 0);
        Assert.Equal(0UL, plane.Sad.TryGetInbound(0x1001, out var sa) ? sa.HighestSequence : 1UL);
    }
}
