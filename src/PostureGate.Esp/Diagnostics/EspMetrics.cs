// The ESP data plane's metrics (System.Diagnostics.Metrics, meter "PostureGate.Esp"): RFC 4303
// packets, bytes and drops by reason per tunnel group (phase1), and how full the batched device
// reads are. Every instrument is observable: it reads the counters the data plane keeps anyway
// when a scrape asks, so the packet path pays nothing for metrics; the batch counters cost two
// uncontended interlocked adds per device read, not per packet (docs/observability.md has the measurement).
using System.Diagnostics.Metrics;

namespace PostureGate.Esp;

public sealed class EspMetrics : IDisposable
{
    public const string MeterName = "PostureGate.Esp";

    private readonly Meter _meter = new(MeterName);
    private readonly Func<IEnumerable<(string TunnelGroup, EspDataPlane DataPlane)>> _sources;

    /// <param name="sources">The running data planes and the tunnel group (phase1) each serves; asked at each collection.</param>
    public EspMetrics(Func<IEnumerable<(string TunnelGroup, EspDataPlane DataPlane)>> sources)
    {
        _sources = sources;
        _meter.CreateObservableCounter("pgate.esp.packets", () => Each((t, c) =>
            [Measure(t.InPackets, c, ("direction", "in")), Measure(t.OutPackets, c, ("direction", "out"))]),
            description: "ESP packets that passed, by direction (in: decrypted from peers, out: sent to peers)");
        _meter.CreateObservableCounter("pgate.esp.bytes", () => Each((t, c) =>
            [Measure(t.InBytes, c, ("direction", "in")), Measure(t.OutBytes, c, ("direction", "out"))]),
            description: "inner bytes carried by ESP, by direction");
        _meter.CreateObservableCounter("pgate.esp.drops", () => Each((t, c) =>
        [
            // RFC 4303 §3.4.3 anti-replay window; §3.4.4 ICV; RFC 4301 §5.2 inbound selector check.
            Measure(t.ReplayDrops, c, ("reason", "replay")),
            Measure(t.AuthFailures, c, ("reason", "integrity")),
            Measure(t.SelectorDrops, c, ("reason", "selector")),
            Measure(t.PolicyDrops, c, ("reason", "policy")),
            Measure(t.MalformedDrops, c, ("reason", "malformed")),
            Measure(t.ExpiredDrops, c, ("reason", "expired")),
            Measure(c.Plane.UnknownSpi, c, ("reason", "unknown_spi")),
            Measure(c.Plane.InvalidDatagrams, c, ("reason", "invalid")),
            Measure(c.Plane.NoRoute, c, ("reason", "no_route")),
            Measure(c.Plane.OutboundDrops, c, ("reason", "outbound")),
        ]), description: "ESP packets dropped, by reason");
        // Data-plane batching: how full the device reads are (a mean near 1 means one syscall per packet).
        _meter.CreateObservableCounter("pgate.esp.batches", () => EachPlane((g, dp) =>
            [Measure(dp.Batches.RxBatches, g, "rx"), Measure(dp.Batches.TxBatches, g, "tx")]),
            description: "device reads that returned packets, by direction (rx: UDP socket, tx: TUN device)");
        _meter.CreateObservableCounter("pgate.esp.batch.packets", () => EachPlane((g, dp) =>
            [Measure(dp.Batches.RxPackets, g, "rx"), Measure(dp.Batches.TxPackets, g, "tx")]),
            description: "packets those reads returned, by direction; divided by pgate.esp.batches: the mean batch size");
        _meter.CreateObservableGauge("pgate.esp.batch.capacity", () => EachPlane((g, dp) =>
            [new Measurement<long>(dp.Options.BatchSize, new KeyValuePair<string, object?>("tunnel_group", g))]),
            description: "packets one device read may return (the configured batch size)");
        _meter.CreateObservableCounter("pgate.esp.replay_drops", () => Each((t, c) => [Measure(t.ReplayDrops, c)]),
            description: "inbound ESP packets outside or already seen in the anti-replay window (RFC 4303 §3.4.3)");
    }

    private readonly record struct Context(string TunnelGroup, EspDataPlaneCounters Plane);

    private IEnumerable<Measurement<long>> Each(Func<EspTrafficTotals, Context, Measurement<long>[]> measure)
    {
        foreach (var (group, dp) in _sources())
        {
            foreach (var m in measure(dp.TrafficTotals, new Context(group, dp.Counters)))
                yield return m;
        }
    }

    private IEnumerable<Measurement<long>> EachPlane(Func<string, EspDataPlane, Measurement<long>[]> measure)
    {
        foreach (var (group, dp) in _sources())
        {
            foreach (var m in measure(group, dp))
                yield return m;
        }
    }

    private static Measurement<long> Measure(ulong value, string group, string direction) =>
        new((long)value, new KeyValuePair<string, object?>("tunnel_group", group), new KeyValuePair<string, object?>("direction", direction));

    private static Measurement<long> Measure(ulong value, Context c, (string Key, string Value)? extra = null)
    {
        var group = new KeyValuePair<string, object?>("tunnel_group", c.TunnelGroup);
        return extra is { } e
            ? new Measurement<long>((long)value, group, new KeyValuePair<string, object?>(e.Key, e.Value))
            : new Measurement<long>((long)value, group);
    }

    public void Dispose() => _meter.Dispose();
}
