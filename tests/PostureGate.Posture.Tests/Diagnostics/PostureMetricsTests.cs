// PostureMetrics: each audit record counts once under its event, outcome, source and tag, the
// labels the metrics documentation lists.
using System.Diagnostics.Metrics;

namespace PostureGate.Posture.Tests.Diagnostics;

public sealed class PostureMetricsTests
{
    [Fact]
    public void Write_CountsTheAuditRecordUnderItsLabels()
    {
        using var metrics = new PostureMetrics();
        var seen = new List<(long Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) =>
        {
            if (i.Meter.Name == PostureMetrics.MeterName && i.Name == "pgate.posture.decisions")
                l.EnableMeasurementEvents(i);
        };
        listener.SetMeasurementEventCallback<long>((_, v, tags, _) => seen.Add((v, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        listener.Start();

        metrics.Write(new PostureAuditRecord
        {
            Time = DateTimeOffset.UnixEpoch, Event = "decision", Tunnel = "dialup", Instance = "dialup_0",
            Outcome = "allow", Source = PostureSource.Token, Tag = "compliant",
        });

        var (value, tags) = Assert.Single(seen);
        Assert.Equal(1, value);
        Assert.Equal("decision", tags["event"]);
        Assert.Equal("allow", tags["outcome"]);
        Assert.Equal("token", tags["source"]);
        Assert.Equal("compliant", tags["tag"]);
    }
}
