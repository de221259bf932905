// The posture gate's metrics (System.Diagnostics.Metrics, meter "PostureGate.Posture"): every
// audited decision by event, outcome, source (ems|cache|token|none) and the tag that admitted
// it, and the tunnels revoked. It is an audit sink: it counts exactly what the audit lines say.
using System.Diagnostics.Metrics;

namespace PostureGate.Posture;

public sealed class PostureMetrics : IAuditSink, IDisposable
{
    public const string MeterName = "PostureGate.Posture";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _decisions, _revocations;

    public PostureMetrics()
    {
        _decisions = _meter.CreateCounter<long>("pgate.posture.decisions",
            description: "posture decisions as audited, by event (decision|gw-match|token-update|…), outcome, source and tag");
        _revocations = _meter.CreateCounter<long>("pgate.posture.revocations", description: "tunnels deleted because they lost their tag, by phase1");
    }

    public void Write(PostureAuditRecord record) => _decisions.Add(1,
        new KeyValuePair<string, object?>("event", record.Event),
        new KeyValuePair<string, object?>("outcome", record.Outcome),
        new KeyValuePair<string, object?>("source", SourceLabel(record.Source)),
        new KeyValuePair<string, object?>("tag", record.Tag ?? ""));

    /// <summary>Counts one revoked tunnel (PostureGateKeeper.TunnelRevoked).</summary>
    public void Revoked(TunnelRevoked revoked) => _revocations.Add(1, new KeyValuePair<string, object?>("phase1", revoked.Tunnel));

    internal static string SourceLabel(PostureSource source) => source switch
    {
        PostureSource.Ems => "ems",
        PostureSource.Cache => "cache",
        PostureSource.Token => "token",
        _ => "none",
    };

    public void Dispose() => _meter.Dispose();
}
