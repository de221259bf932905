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
        log.UdpComes(new IPEndPoint(IPAddress.Loopback, 500), new IPEndPoint(IPAddress.Loopback, 500), 1, 3);
        log.Connection("dialup", 0xfeed, 1, IPAddress.Loopback, new IPEndPoint(IPAddress.Loopback, 500));
        log.NegotiateError("dialup_0", "x");
        log.Tunnel("dialup_0", "x");

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
        log.UdpComes(IPEndPoint.Parse("198.51.100.2:4500"), IPEndPoint.Parse("198.51.100.1:4500"), 1123, 466);
        log.Connection("FCT_EMS_TAG_ph2", 0x55e62c7d8a50, 1123, IPAddress.Parse("198.51.100.1"), IPEndPoint.Parse("198.51.100.2:55846"));
        log.NegotiateError("FCT", "EMS ZTNA tags check failed");
        log.Tunnel("FCT_EMS_TAG_ph2_0", "EMS ZTNA token tags check success ZTNA_a");

        Assert.Equal(
        [
            "ike V=root:0:dialup_0:12: added IPsec SA: SPIs=000000ab/12345678 probe [  7]",
            "ike V=root:0:dialup:0: responder received AUTH msg",
            "ike V=root:0: spi 000000000000feed",
            "ike V=root:0: plain",
            "ike V=root:0: udp comes 198.51.100.2:4500->198.51.100.1:4500,ifindex=1123,vrf=0,len=466....",
            // The seed's own forms of the prefix: phase1 twice, no index and no serial, the tunnel's.
            "ike V=root:0:FCT_EMS_TAG_ph2:FCT_EMS_TAG_ph2: created connection: 0x55e62c7d8a50 1123 198.51.100.1->198.51.100.2:55846.",
            "ike V=root:FCT Negotiate SA Error: EMS ZTNA tags check failed",
            "ike V=root:0:FCT_EMS_TAG_ph2_0: EMS ZTNA token tags check success ZTNA_a",
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
