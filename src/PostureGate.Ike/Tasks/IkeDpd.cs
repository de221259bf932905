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
    public static void Arm(IkeTaskContext m, IkeSa sa)
    {
        sa.DpdTimer?.Dispose();
        sa.DpdTimer = null;
        if (sa.Config.DpdMode == DpdMode.Disable)
            return;
        var interval = sa.Config.DpdRetryInterval;
        sa.DpdTimer = m.Time.CreateTimer(_ =>
        {
            lock (sa.Gate)
            {
                if (sa.State != IkeSaState.Established || sa.Tasks.Active is not null)
                    return;
                var idle = m.Now - sa.LastInbound;
                var due = sa.Config.DpdMode == DpdMode.OnIdle
                    ? idle >= interval
                    : sa.LastDataOutbound > sa.LastInbound && idle >= interval;
                if (due)
                    Start(m, sa);
            }
        }, null, interval, interval);
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
