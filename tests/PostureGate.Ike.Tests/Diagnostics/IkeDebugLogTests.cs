using System.Net;
using PostureGate.Ike.Diagnostics;

namespace PostureGate.Ike.Tests.Diagnostics;

public class IkeDebugLogTests
{
    private sealed class Probe
    {
        public int Formatted;

        public override string ToString()
        {
            Formatted++;
            return "probe";
        }
    }

    private sealed class SwitchableSink : IIkeDebugSink
    {
        public bool On;
        public List<string> Lines { get; } = [];
        public bool IsEnabled => On;
        public void Write(string line) => Lines.Add(line);
    }

    [Fact]
    public void Nothing_is_formatted_while_the_sink_is_disabled()
    {
        var sink = new SwitchableSink();
        var log = new IkeDebugLog(sink);
        var probe = new Probe();

        log.Sa("dialup_0", 7, $"value {probe}");
        log.Global($"value {probe}");
        log.Sa("dialup", 0, "plain");
        log.UdpComes(new IPEndPoint(IPAddress.Loopback, 500), new IPEndPoint(IPAddress.Loopback, 500), 3);

        Assert.Equal(0, probe.Formatted);
        Assert.Empty(sink.Lines);
    }

    [Fact]
    public void Enabled_lines_are_those_plain_interpolation_gives()
    {
        var sink = new SwitchableSink { On = true };
        var log = new IkeDebugLog(sink);
        uint inbound = 0xab, outbound = 0x1234_5678;
        ulong spi = 0xfeed;

        log.Sa("dialup_0", 12, $"added IPsec SA: SPIs={inbound:x8}/{outbound:x8} {new Probe()} [{7,3}]");
        log.Sa("dialup", 0, "responder received AUTH msg");
        log.Global($"spi {spi:x16}");
        log.Global("plain");
        log.UdpComes(IPEndPoint.Parse("198.51.100.2:4500"), IPEndPoint.Parse("198.51.100.1:4500"), 466);

        Assert.Equal(
        [
            "ike V=root:0:dialup_0:12: added IPsec SA: SPIs=000000ab/12345678 probe [  7]",
            "ike V=root:0:dialup:0: responder received AUTH msg",
            "ike V=root:0: spi 000000000000feed",
            "ike V=root:0: plain",
            "ike V=root:0: udp comes 198.51.100.2:4500->198.51.100.1:4500,ifindex=0,vrf=0,len=466....",
        ], sink.Lines);
    }

    [Fact]
    public void Vdom_prefix_follows_the_constructor()
    {
        var sink = new CollectingIkeDebugSink();
        var log = new IkeDebugLog(sink, "vd2", 3);

        log.Sa("x", 1, $"n={1}");
        log.Global($"g={2}");

        Assert.Equal(["ike V=vd2:3:x:1: n=1", "ike V=vd2:3: g=2"], sink.Lines);
    }

    [Fact]
    public void A_sink_that_does_not_say_is_enabled()
    {
        IIkeDebugSink sink = new LegacySink();
        Assert.True(sink.IsEnabled);
        Assert.False(NullIkeDebugSink.Instance.IsEnabled);
    }

    private sealed class LegacySink : IIkeDebugSink
    {
        public void Write(string line) { }
    }
}
