// Monotonic totals of a data plane's ESP SAs (RFC 4303 packets, bytes and the drops of
// §3.4.3 replay, §3.4.4 integrity and RFC 4301 §5.2 selector checks), for metrics: the SAs
// that were deleted are folded in when they go, the live ones are read when asked. Nothing
// here runs per packet: the SAs count as they always did.
namespace PostureGate.Esp;

public readonly record struct EspTrafficTotals(
    ulong InPackets, ulong InBytes, ulong OutPackets, ulong OutBytes,
    ulong ReplayDrops, ulong AuthFailures, ulong SelectorDrops, ulong PolicyDrops, ulong MalformedDrops, ulong ExpiredDrops)
{
    /// <summary>These totals with one SA's counters added (inbound SAs count received packets, outbound sent).</summary>
    public EspTrafficTotals Add(EspSaCounters c, bool inbound) => this with
    {
        InPackets = InPackets + (inbound ? c.Packets : 0),
        InBytes = InBytes + (inbound ? c.Bytes : 0),
        OutPackets = OutPackets + (inbound ? 0 : c.Packets),
        OutBytes = OutBytes + (inbound ? 0 : c.Bytes),
        ReplayDrops = ReplayDrops + c.ReplayDrops,
        AuthFailures = AuthFailures + c.AuthFailures,
        SelectorDrops = SelectorDrops + c.SelectorDrops,
        PolicyDrops = PolicyDrops + c.PolicyDrops,
        MalformedDrops = MalformedDrops + c.MalformedDrops,
        ExpiredDrops = ExpiredDrops + c.ExpiredDrops,
    };
}
