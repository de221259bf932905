// The IKE layer's metrics (System.Diagnostics.Metrics, meter "PostureGate.Ike"): SAs set up,
// deleted and refused (RFC 7296 §2.15/§2.16 authentication failures by a fixed set of reasons),
// CHILD_SAs installed, the live and half-open SA counts (§2.6 cookie threshold) and the
// datagrams dropped, and the SAs by state. Counted from the manager's events; gauges are read at collection.
using System.Diagnostics.Metrics;
using PostureGate.Ike.Sa;

namespace PostureGate.Ike.Diagnostics;

public sealed class IkeMetrics : IDisposable
{
    public const string MeterName = "PostureGate.Ike";

    private readonly Meter _meter = new(MeterName);
    private readonly IkeSaManager _manager;
    private readonly Counter<long> _established, _deleted, _childInstalled, _authFailures;

    public IkeMetrics(IkeSaManager manager)
    {
        _manager = manager;
        _established = _meter.CreateCounter<long>("pgate.ike.sa.established", description: "IKE SAs established (rekeys not counted), by phase1");
        _deleted = _meter.CreateCounter<long>("pgate.ike.sa.deleted", description: "established IKE SAs deleted, by phase1");
        _childInstalled = _meter.CreateCounter<long>("pgate.ike.child_sa.installed", description: "CHILD_SAs installed, by rekey (true|false)");
        _authFailures = _meter.CreateCounter<long>("pgate.ike.auth.failures", description: "peers that failed to authenticate, by phase1 and reason");
        _meter.CreateObservableGauge("pgate.ike.sa.active", () => (long)_manager.Count, description: "IKE SAs in the table (established and negotiating)");
        // charon's ike_sa_state_t as IkeSaState has it: connecting (half-open), authenticating, established, rekeying, deleting.
        _meter.CreateObservableGauge("pgate.ike.sa.by_state", () => _manager.CountByState().Select(kv =>
                new Measurement<long>(kv.Value, new KeyValuePair<string, object?>("state", kv.Key.ToString().ToLowerInvariant()))),
            description: "IKE SAs in the table, by state (connecting, authenticating, established, rekeying, deleting)");
        _meter.CreateObservableGauge("pgate.ike.sa.half_open", () => (long)_manager.HalfOpenCount,
            description: "unauthenticated responder IKE SAs (RFC 7296 §2.6: the cookie threshold counts these)");
        _meter.CreateObservableCounter("pgate.ike.datagrams.dropped", () => _manager.DroppedDatagrams,
            description: "IKE datagrams dropped without an answer (garbage, out of window, failed integrity)");
        manager.IkeSaEstablished += OnEstablished;
        manager.IkeSaDeleted += OnDeleted;
        manager.ChildSaInstalled += OnChildInstalled;
    }

    /// <summary>Counts one failed authentication (the gateway forwards IkeSaManagerOptions.AuthenticationFailed here).</summary>
    public void AuthenticationFailed(IkeAuthFailure failure) =>
        _authFailures.Add(1, new KeyValuePair<string, object?>("phase1", failure.Phase1),
            new KeyValuePair<string, object?>("reason", AuthFailureReason.Classify(failure.Reason)));

    private void OnEstablished(IkeSaEstablishedEvent e) => _established.Add(1, new KeyValuePair<string, object?>("phase1", e.PeerConfigName));

    private void OnDeleted(IkeSaDeletedEvent e) => _deleted.Add(1, new KeyValuePair<string, object?>("phase1", e.PeerConfigName));

    private void OnChildInstalled(ChildSaInstalledEvent e) => _childInstalled.Add(1, new KeyValuePair<string, object?>("rekey", e.Rekey ? "true" : "false"));

    public void Dispose()
    {
        _manager.IkeSaEstablished -= OnEstablished;
        _manager.IkeSaDeleted -= OnDeleted;
        _manager.ChildSaInstalled -= OnChildInstalled;
        _meter.Dispose();
    }
}
