// Collects what one meter's observable instruments report (System.Diagnostics.Metrics'
// MeterListener), for the tests of the metrics the data plane publishes.
using System.Diagnostics.Metrics;

namespace PostureGate.Esp.Tests.Support;

public static class MeterCapture
{
    public sealed record Sample(string Instrument, long Value, Dictionary<string, object?> Tags);

    /// <summary>One collection of every observable long instrument of <paramref name="meterName"/>.</summary>
    public static List<Sample> Collect(string meterName)
    {
        var seen = new List<Sample>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) =>
        {
            if (i.Meter.Name == meterName)
                l.EnableMeasurementEvents(i);
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) =>
            seen.Add(new Sample(i.Name, v, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        listener.Start();
        listener.RecordObservableInstruments();
        return seen;
    }
}
