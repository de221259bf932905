// RFC 4303 §3.4 inbound processing under attacker input (issue 12): unknown SPI, bad ICV, truncated and
// replayed packets are counted and dropped — no log line above warning, no SA state moved.
using System.Buffers.Binary;
using System.Net;
using Microsoft.Extensions.Logging;
using PostureGate.Esp.Devices;
using PostureGate.Esp.Devices.Fakes;
using PostureGate.Esp.Tests.Crypto;
using PostureGate.Esp.Tests.Support;

namespace PostureGate.Esp.Tests.DataPlane;

public class AttackerEspLogTests
{
    private static readonly byte[] Inner = Ipv4Packets.Udp("10.139.1.2", "192.0.2.1", 64);

    [Theory]
    [MemberData(nameof(TestSuite.Names), MemberType = typeof(TestSuite))]
    public void BadEsp_IsDroppedSilently_AndMovesNoState(string name)
    {
        var suite = TestSuite.Get(name);
        var log = new RecordingLoggerProvider();
        using var plane = new EspDataPlane(new FakeTun(), new NullBind(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 4500)),
            logger: log.CreateLogger<EspDataPlane>());
        plane.AddChildSa(suite.Config(SaFactory.Spi, 0x10, SaFactory.Peer), suite.Config(0x2001, 2, SaFactory.Peer), IPAddress.Parse("10.139.1.2"), 1);
        // The peer's half of the SA: same keys and SPI, so its packets are genuine.
        var (sealer, _) = SaFactory.Pair(suite);
        var first = EspKnownAnswerTests.Seal(sealer, Inner);
        var second = EspKnownAnswerTests.Seal(sealer, Inner);
        Assert.Equal(1, Process(plane, first));
        var before = Counters(plane);
        var entriesBefore = log.Entries.Count;

        var unknownSpi = second.ToArray();
        BinaryPrimitives.WriteUInt32BigEndian(unknownSpi, SaFactory.Spi ^ 0x00FF0000);
        var badIcv = second.ToArray();
        badIcv[^1] ^= 0x80;
        var hostile = new[]
        {
            unknownSpi,
            badIcv,
            second[..12],          // header and a little: shorter than IV + ICV
            second[..^1],          // one octet short of the ICV
            second[..8],           // SPI and sequence number only
            first,                 // §3.4.3: a replay of an accepted sequence number
        };
        foreach (var packet in hostile)
            Assert.Equal(0, Process(plane, packet));

        Assert.DoesNotContain(log.Entries.Skip(entriesBefore), e => e.Level >= LogLevel.Warning || e.Exception is not null);
        var after = Counters(plane);
        Assert.Equal(before.Packets, after.Packets);
        Assert.Equal(before.Bytes, after.Bytes);
        Assert.True(plane.Sad.TryGetInbound(SaFactory.Spi, out var sa));
        Assert.Equal(1UL, sa.HighestSequence);
        Assert.Equal(1UL, after.ReplayDrops - before.ReplayDrops);
        Assert.Equal(1UL, after.AuthFailures - before.AuthFailures);
        Assert.Equal(3UL, after.MalformedDrops - before.MalformedDrops);
        Assert.Equal(1UL, plane.Counters.UnknownSpi);
        // The window did not move: the genuine packet with sequence number 2 still passes.
        Assert.Equal(1, Process(plane, second));
    }

    private static EspSaCounters Counters(EspDataPlane plane)
    {
        Assert.True(plane.TryGetChildSaCounters(SaFactory.Spi, out var inbound, out _));
        return inbound;
    }

    private static int Process(EspDataPlane plane, byte[] datagram)
    {
        var buffer = new PacketBuffer { Offset = 0, Length = datagram.Length };
        datagram.CopyTo(buffer.Array, 0);
        return plane.ProcessInbound([buffer], new PacketBuffer[1]);
    }
}
