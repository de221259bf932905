using PostureGate.Esp;
using PostureGate.Gateway.Diagnose;

namespace PostureGate.Gateway.Tests.Diagnose;

public class DataPlaneStatusTests
{
    [Fact]
    public void Format_ShowsOffloadsBatchingAndDrops()
    {
        var status = new DataPlaneStatus("dialup", "198.51.100.1:4500", "dialup", 1400, "libcrypto-evp", 64, 0, 100,
            UdpGso: true, UdpGro: false, UdpSendErrors: 3, TunOffloads: "merge-writes(gro),split-reads(tso4)",
            TunWriteCalls: 10, TunPacketsWritten: 250, TunGsoWrites: 7, TunMergedSegments: 240, TunWriteErrors: 1,
            TunReadCalls: 4, TunPacketsRead: 6, TunSplitReads: 2, TunReadDrops: 0,
            Esp: new EspDataPlaneCounters(UnknownSpi: 5, InvalidDatagrams: 6, IkeDatagrams: 7, NatKeepalives: 8, NoRoute: 9, OutboundDrops: 10));

        var lines = status.Format().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(
        [
            "data plane dialup: esp-in-udp 198.51.100.1:4500, tun dialup mtu=1400",
            "  crypto: libcrypto-evp; batch=64 threads-per-direction=1 moderation=100us",
            "  udp offloads: gso=on gro=off send-errors=3",
            "  tun offloads: merge-writes(gro),split-reads(tso4)",
            "  tun write: calls=10 packets=250 per-call=25.0 gso-writes=7 merged-segments=240 errors=1",
            "  tun read: calls=4 packets=6 per-call=1.5 split-reads=2 drops=0",
            "  esp: unknown-spi=5 invalid=6 ike=7 nat-keepalive=8 no-route=9 outbound-drops=10",
        ], lines);
    }
}
