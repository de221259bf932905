// One dial-up tunnel instance (FortiOS `dial_inst`, one per connected client): its
// virtual IP, its CHILD_SA pairs (two during a rekey), and the traffic counters that
// `diagnose vpn tunnel list` prints and dead peer detection reads.
namespace PostureGate.Esp.Sad;

internal sealed class Tunnel
{
    private long _rxPackets;
    private long _txPackets;
    private long _rxBytes;
    private long _txBytes;
    private long _lastRx;
    private long _lastTx;

    public Tunnel(int id, System.Net.IPAddress virtualIp)
    {
        Id = id;
        VirtualIpAddress = virtualIp;
        VirtualIp = (uint)InnerSourceSelector.ToNumber(virtualIp);
    }

    public System.Net.IPAddress VirtualIpAddress { get; }

    public int Id { get; }

    /// <summary>The client's IPv4 address inside the tunnel, the outbound routing key.</summary>
    public uint VirtualIp { get; }

    /// <summary>Installed pairs, oldest first; guarded by the SAD lock.</summary>
    public List<ChildSaPair> Pairs { get; } = [];

    /// <summary>The SA outbound packets use: the newest pair's. Read lock-free on the data path.</summary>
    public volatile OutboundSa? Outbound;

    public void CountRx(int bytes, long now)
    {
        Interlocked.Increment(ref _rxPackets);
        Interlocked.Add(ref _rxBytes, bytes);
        Volatile.Write(ref _lastRx, now);
    }

    public void CountTx(int bytes, long now)
    {
        Interlocked.Increment(ref _txPackets);
        Interlocked.Add(ref _txBytes, bytes);
        Volatile.Write(ref _lastTx, now);
    }

    public TunnelCounters Snapshot(TimeProvider time)
    {
        var now = time.GetTimestamp();
        var lastRx = Volatile.Read(ref _lastRx);
        var lastTx = Volatile.Read(ref _lastTx);
        return new TunnelCounters(
            (ulong)Volatile.Read(ref _rxPackets), (ulong)Volatile.Read(ref _txPackets),
            (ulong)Volatile.Read(ref _rxBytes), (ulong)Volatile.Read(ref _txBytes),
            lastRx == 0 ? null : time.GetElapsedTime(lastRx, now),
            lastTx == 0 ? null : time.GetElapsedTime(lastTx, now));
    }
}

/// <summary>The two SAs of one CHILD_SA (RFC 7296 §1.3): they are installed and deleted together.</summary>
internal sealed record ChildSaPair(InboundSa Inbound, OutboundSa Outbound, Tunnel Tunnel);
