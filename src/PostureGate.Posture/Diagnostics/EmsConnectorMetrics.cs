// The EMS connectors' metrics (System.Diagnostics.Metrics, meter "PostureGate.EmsConnector"):
// per fctems, its state (FortiOS `diagnose endpoint fctems` words, one series each, 1 for the
// current one) and how long ago it last heard from the EMS (a full sync or an update).
using System.Diagnostics.Metrics;

namespace PostureGate.Posture;

public sealed class EmsConnectorMetrics : IDisposable
{
    public const string MeterName = "PostureGate.EmsConnector";

    private readonly Meter _meter = new(MeterName);

    public EmsConnectorMetrics(Func<IEnumerable<EmsConnector>> connectors, TimeProvider time)
    {
        _meter.CreateObservableGauge("pgate.ems.connector.sync_age", () => Age(connectors(), time), unit: "s",
            description: "seconds since the connector last synced or took an update from its EMS (absent before the first sync)");
        _meter.CreateObservableGauge("pgate.ems.connector.state", () => States(connectors()),
            description: "the connector's state: 1 on the series of the current one (connecting|synced|lost)");
        _meter.CreateObservableCounter("pgate.ems.connector.resyncs", () => connectors().Select(c =>
            new Measurement<long>(c.Resyncs, Ems(c))), description: "full resynchronisations after an update gap or a reconnect");
    }

    private static KeyValuePair<string, object?> Ems(EmsConnector c) => new("fctems", c.Settings.Name);

    private static IEnumerable<Measurement<double>> Age(IEnumerable<EmsConnector> connectors, TimeProvider time)
    {
        var now = time.GetUtcNow();
        foreach (var c in connectors)
        {
            var last = c.LastUpdateAt is { } u && (c.LastSyncAt is not { } s || u > s) ? u : c.LastSyncAt;
            if (last is { } at)
                yield return new Measurement<double>(Math.Max(0, (now - at).TotalSeconds), Ems(c));
        }
    }

    private static IEnumerable<Measurement<long>> States(IEnumerable<EmsConnector> connectors)
    {
        foreach (var c in connectors)
        {
            foreach (var state in Enum.GetValues<ConnectorState>())
                yield return new Measurement<long>(c.State == state ? 1 : 0, Ems(c), new KeyValuePair<string, object?>("state", state.ToString().ToLowerInvariant()));
        }
    }

    public void Dispose() => _meter.Dispose();
}
