// EspTrafficTotals and EspMetrics: the totals a data plane reports for metrics count every
// packet that passed, and do not go back when the SA that counted them is deleted (Prometheus
// counters are monotonic); the meter publishes them per tunnel group.
using PostureGate.Esp.Tests.Support;

namespace PostureGate.Esp.Tests.Diagnostics;

public sealed class TrafficTotalsTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly BackToBackPlanes _planes = new(TestSuite.Get("aes256-sha256"));

    private EspDataPlane Gateway => _planes.Gateway;

    public void Dispose() => _planes.Dispose();

    private byte[] SendThrough(int payload)
    {
        var packet = Ipv4Packets.Udp("10.139.1.2", "192.0.2.7", payload);
        _planes.ClientTun.Inject(packet);
        Assert.True(_planes.GatewayTun.TryTake(out _, Wait), "the packet did not come out of the gateway's TUN");
        return packet;
    }

    [Fact]
    public void Totals_CountPassedPackets_AndKeepThemAfterTheSaIsDeleted()
    {
        var a = SendThrough(100);
        var b = SendThrough(300);

        var live = Gateway.TrafficTotals;
        Assert.Equal(2UL, live.InPackets);
        Assert.Equal((ulong)(a.Length + b.Length), live.InBytes);

        Assert.True(Gateway.DeleteChildSa(0x1001));

        var after = Gateway.TrafficTotals;
        Assert.Equal(live.InPackets, after.InPackets);
        Assert.Equal(live.InBytes, after.InBytes);
    }

    [Fact]
    public void Meter_PublishesPacketsPerTunnelGroup()
    {
        SendThrough(200);
        using var metrics = new EspMetrics(() => [("dialup", Gateway)]);
        var seen = MeterCapture.Collect(EspMetrics.MeterName);

        var inbound = seen.Single(s => s.Instrument == "pgate.esp.packets" && (string?)s.Tags["direction"] == "in");
        Assert.Equal(1, inbound.Value);
        Assert.Equal("dialup", inbound.Tags["tunnel_group"]);
        Assert.Contains(seen, s => s.Instrument == "pgate.esp.drops" && (string?)s.Tags["reason"] == "replay" && s.Value == 0);
    }
}
