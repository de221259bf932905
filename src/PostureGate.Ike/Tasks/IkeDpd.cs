// Dead peer detection (RFC 7296 §2.4 liveness check: an empty INFORMATIONAL), FortiOS
// semantics: `dpd on-idle` probes when nothing arrived for dpd-retryinterval; `on-demand`
// only when we sent traffic and nothing came back. A probe is retried dpd-retrycount times,
// dpd-retryinterval apart, then the IKE SA and its CHILD_SAs are deleted.
using PostureGate.Ike.Config;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Ike.Sa;

namespace PostureGate.Ike.Tasks;

internal static class IkeDpd
{
    // One one-shot timer per SA, armed for when a probe could next be due: an idle on-demand SA
    // (no traffic, or traffic answered) has no timer at all, an on-idle one fires once per
    // dpd-retryinterval of silence. 100,000 idle tunnels cost no timer callbacks (issue 16).
    public static void Arm(IkeTaskContext m, IkeSa sa)
    {
        sa.DpdTimer?.Dispose();
        sa.DpdTimer = null;
        // on-demand: armed by the first outbound traffic (OutboundSeen).
        if (sa.Config.DpdMode == DpdMode.OnIdle)
            Schedule(m, sa, sa.Config.DpdRetryInterval);
    }

    /// <summary>The data plane sent on this SA (caller holds the SA's gate): on-demand DPD starts watching for an answer.</summary>
    public static void OutboundSeen(IkeTaskContext m, IkeSa sa)
    {
        if (sa.Config.DpdMode == DpdMode.OnDemand && sa.DpdTimer is null && sa.State == IkeSaState.Established)
            Schedule(m, sa, sa.Config.DpdRetryInterval);
    }

    private static void Schedule(IkeTaskContext m, IkeSa sa, TimeSpan due)
    {
        // Re-armed in place: an on-idle SA reschedules once per interval, and 100,000 of them
        // should not allocate a timer each time.
        if (sa.DpdTimer is { } timer)
            timer.Change(due, Timeout.InfiniteTimeSpan);
        else
            sa.DpdTimer = m.Time.CreateTimer(_ => Fire(m, sa), null, due, Timeout.InfiniteTimeSpan);
    }

    private static void Fire(IkeTaskContext m, IkeSa sa)
    {
        lock (sa.Gate)
        {
            var interval = sa.Config.DpdRetryInterval;
            if (sa.State is IkeSaState.Deleting or IkeSaState.Destroyed || sa.DpdTimer is null)
                return;
            // Another exchange in flight (its own retransmissions find a dead peer), or not ours to probe now: look again later.
            if (sa.State != IkeSaState.Established || sa.Tasks.Active is not null)
            {
                Schedule(m, sa, interval);
                return;
            }
            var idle = m.Now - sa.LastInbound;
            if (sa.Config.DpdMode == DpdMode.OnDemand && sa.LastDataOutbound <= sa.LastInbound)
            {
                // Whatever was sent got an answer: nothing to watch until the next outbound traffic.
                sa.DpdTimer.Dispose();
                sa.DpdTimer = null;
                return;
            }
            if (idle >= interval)
            {
                Start(m, sa);
                Schedule(m, sa, interval);
            }
            else
            {
                Schedule(m, sa, interval - idle);
            }
        }
    }

    public static void Start(IkeTaskContext m, IkeSa sa)
    {
        m.Debug.Sa(sa.LogName, sa.Serial, "sending DPD probe");
        m.Outbound.Request(sa, Probe.Instance);
    }

    /// <summary>The probe: an empty INFORMATIONAL; its answer is all it needs (a timeout deletes the SA).</summary>
    private sealed class Probe : IIkeTask
    {
        public static readonly Probe Instance = new();

        public ExchangeType Exchange => ExchangeType.Informational;
        public string Name => "dpd";
        public IReadOnlyList<IkePayload>? Build(IkeSa sa) => [];
        public void Process(IkeSa sa, IkeMessage? response) { }
    }
}
