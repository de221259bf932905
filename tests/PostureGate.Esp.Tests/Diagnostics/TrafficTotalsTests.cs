// EspTrafficTotals and EspMetrics: the totals a data plane reports for metrics count every
// packet that passed, and do not go back when the SA that counted them is deleted (Prometheus
// counters are monotonic); the meter publishes them per tunnel group.
using System.Diagnostics.Metrics;
using System.Net;
using PostureGate.Esp.Devices.Fakes;
using PostureGate.Esp.Tests.Support;

namespace PostureGate.Esp.Tests.Diagnostics;

public sealed class TrafficTotalsTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static readonly IPEndPoint GatewayEndPoint = new(IPAddress.Parse("192.0.2.1"), 4500);
    private static readonly IPEndPoint ClientEndPoint = new(IPAddress.Parse("198.51.100.20"), 55846);

    private readonly FakeNetwork _network = new();
    private readonly FakeTun _gatewayTun = new("gw0");
    private readonly FakeTun _clientTun = new("cl0");
    private readonly EspDataPlane _gateway;
    private readonly EspDataPlane _client;

    public TrafficTotalsTests()
    {
        _gateway = new EspDataPlane(_gatewayTun, _network.Bind(GatewayEndPoint));
        _client = new EspDataPlane(_clientTun, _network.Bind(ClientEndPoint));
        _gateway.Start();
        _client.Start();
        BackToBack.Install(_gateway, _client, TestSuite.Get("aes256-sha256"), GatewayEndPoint, ClientEndPoint);
    }

    public void Dispose()
    {
        _gateway.Dispose();
        _client.Dispose();
    }

    private byte[] SendThrough(int payload)
    {
        var packet = Ipv4Packets.Udp("10.139.1.2", "192.0.2.7", payload);
        _clientTun.Inject(packet);
        Assert.True(_gatewayTun.TryTake(out _, Wait), "the packet did not come out of the gateway's TUN");
        return packet;
    }

    [Fact]
    public void Totals_CountPassedPackets_AndKeepThemAfterTheSaIsDeleted()
    {
        var a = SendThrough(100);
        var b = SendThrough(300);

        var live = _gateway.TrafficTotals;
        Assert.Equal(2UL, live.InPackets);
        Assert.Equal((ulong)(a.Length + b.Length), live.InBytes);

        Assert.True(_gateway.DeleteChildSa(0x1001));

        var after = _gateway.TrafficTotals;
        Assert.Equal(live.InPackets, after.InPackets);
        Assert.Equal(live.InBytes, after.InBytes);
    }

    [Fact]
    public void Meter_PublishesPacketsPerTunnelGroup()
    {
        SendThrough(200);
        using var metrics = new EspMetrics(() => [("dialup", _gateway)]);
        var seen = new List<(string Instrument, long Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) =>
        {
            if (i.Meter.Name == EspMetrics.MeterName)
                l.EnableMeasurementEvents(i);
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) =>
            seen.Add((i.Name, v, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        listener.Start();

        listener.RecordObservableInstruments();

        var inbound = seen.Single(s => s.Instrument == "pgate.esp.packets" && (string?)s.Tags["direction"] == "in");
        Assert.Equal(1, inbound.Value);
        Assert.Equal("dialup", inbound.Tags["tunnel_group"]);
        Assert.Contains(seen, s => s.Instrument == "pgate.esp.drops" && (string?)s.Tags["reason"] == "replay" && s.Value == 0);
    }
}
