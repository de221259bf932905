// RFC 4301 §4.4.2 Security Association Database. Inbound SAs are found by SPI alone
// (§4.1: the receiver chose the SPI, so it is unique here), outbound by the inner
// destination — the client's virtual IP — which stands in for the SPD lookup of §5.1.
// Both lookups are lock-free hash reads; installs and deletes take one lock.
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using PostureGate.Esp.Crypto;

namespace PostureGate.Esp.Sad;

internal sealed class SecurityAssociationDatabase
{
    private readonly Lock _sync = new();
    private readonly ConcurrentDictionary<uint, ChildSaPair> _bySpi = new();
    private readonly ConcurrentDictionary<uint, Tunnel> _byVirtualIp = new();
    private readonly Dictionary<int, Tunnel> _tunnels = [];
    private readonly TimeProvider _time;
    private readonly Action<EspSaExpire> _expired;
    private readonly EspCryptoBackend _backend;
    // What deleted SAs counted, so totals never go back (metrics are monotonic counters).
    private readonly Lock _retiredSync = new();
    private EspTrafficTotals _retired;

    public SecurityAssociationDatabase(TimeProvider time, Action<EspSaExpire> expired, EspCryptoBackend backend = EspCryptoBackend.Auto)
    {
        _time = time;
        _expired = expired;
        _backend = backend;
    }

    public int Count => _bySpi.Count;

    public bool TryGetInbound(uint spi, out InboundSa sa)
    {
        if (_bySpi.TryGetValue(spi, out var pair))
        {
            sa = pair.Inbound;
            return true;
        }
        sa = null!;
        return false;
    }

    /// <summary>
    /// The SA for an inner IPv4 destination: the tunnel's newest outbound SA. A tunnel installed
    /// for 0.0.0.0 catches every other destination (the client role: everything into one tunnel).
    /// </summary>
    public OutboundSa? FindOutbound(uint destination) =>
        _byVirtualIp.TryGetValue(destination, out var tunnel) || _byVirtualIp.TryGetValue(0, out tunnel) ? tunnel.Outbound : null;

    public ChildSaPair Add(EspSaConfig inbound, EspSaConfig outbound, IPAddress virtualIp, int tunnelId)
    {
        if (virtualIp.AddressFamily != AddressFamily.InterNetwork)
            throw new ArgumentException("the virtual IP routes IPv4 traffic and must be IPv4", nameof(virtualIp));
        var vip = (uint)InnerSourceSelector.ToNumber(virtualIp);
        lock (_sync)
        {
            if (_bySpi.ContainsKey(inbound.Spi))
                throw new ArgumentException($"inbound SPI 0x{inbound.Spi:x8} is already installed", nameof(inbound));
            if (_byVirtualIp.TryGetValue(vip, out var holder) && holder.Id != tunnelId)
                throw new ArgumentException($"virtual IP {virtualIp} belongs to tunnel {holder.Id}", nameof(virtualIp));
            if (_tunnels.TryGetValue(tunnelId, out var tunnel) && tunnel.VirtualIp != vip)
                throw new ArgumentException($"tunnel {tunnelId} already routes {tunnel.VirtualIpAddress}", nameof(virtualIp));
            tunnel ??= new Tunnel(tunnelId, virtualIp);

            var now = _time.GetTimestamp();
            var inboundSa = new InboundSa(inbound, tunnel, now, _expired, _backend);
            OutboundSa outboundSa;
            try
            {
                outboundSa = new OutboundSa(outbound, inbound.Spi, tunnel, now, _expired, _backend);
            }
            catch
            {
                inboundSa.Dispose();
                throw;
            }
            var pair = new ChildSaPair(inboundSa, outboundSa, tunnel);
            _tunnels[tunnelId] = tunnel;
            tunnel.Pairs.Add(pair);
            // RFC 7296 §2.8: after a rekey the new SA carries outbound traffic at once.
            tunnel.Outbound = outboundSa;
            _byVirtualIp[vip] = tunnel;
            _bySpi[inbound.Spi] = pair;
            return pair;
        }
    }

    public bool Delete(uint inboundSpi)
    {
        ChildSaPair? pair;
        lock (_sync)
        {
            if (!_bySpi.TryRemove(inboundSpi, out pair))
                return false;
            Unlink(pair);
        }
        Retire(pair);
        pair.Inbound.Dispose();
        pair.Outbound.Dispose();
        return true;
    }

    public int DeleteTunnel(int tunnelId)
    {
        ChildSaPair[] pairs;
        lock (_sync)
        {
            if (!_tunnels.TryGetValue(tunnelId, out var tunnel))
                return 0;
            pairs = [.. tunnel.Pairs];
            foreach (var pair in pairs)
            {
                _bySpi.TryRemove(pair.Inbound.Spi, out _);
                Unlink(pair);
            }
        }
        foreach (var pair in pairs)
        {
            Retire(pair);
            pair.Inbound.Dispose();
            pair.Outbound.Dispose();
        }
        return pairs.Length;
    }

    // Folds a leaving SA pair's counters into the retired totals (each SA's own lock, then ours).
    private void Retire(ChildSaPair pair)
    {
        var inbound = pair.Inbound.Counters;
        var outbound = pair.Outbound.Counters;
        lock (_retiredSync)
            _retired = _retired.Add(inbound, inbound: true).Add(outbound, inbound: false);
    }

    /// <summary>Everything this SAD's SAs counted, deleted ones included; read at scrape time, never per packet.</summary>
    public EspTrafficTotals Totals()
    {
        EspTrafficTotals totals;
        lock (_retiredSync)
            totals = _retired;
        foreach (var pair in _bySpi.Values)
            totals = totals.Add(pair.Inbound.Counters, inbound: true).Add(pair.Outbound.Counters, inbound: false);
        return totals;
    }

    // Caller holds _sync.
    private void Unlink(ChildSaPair pair)
    {
        var tunnel = pair.Tunnel;
        tunnel.Pairs.Remove(pair);
        if (tunnel.Pairs.Count == 0)
        {
            tunnel.Outbound = null;
            _tunnels.Remove(tunnel.Id);
            _byVirtualIp.TryRemove(tunnel.VirtualIp, out _);
        }
        else if (tunnel.Outbound == pair.Outbound)
        {
            // The current SA went first (an abandoned rekey): fall back to the newest remaining.
            tunnel.Outbound = tunnel.Pairs[^1].Outbound;
        }
    }

    public bool UpdatePeer(int tunnelId, IPEndPoint peer)
    {
        lock (_sync)
        {
            if (!_tunnels.TryGetValue(tunnelId, out var tunnel))
                return false;
            foreach (var pair in tunnel.Pairs)
                pair.Outbound.Peer = peer;
            return true;
        }
    }

    public bool TryGetPair(uint inboundSpi, out ChildSaPair pair) => _bySpi.TryGetValue(inboundSpi, out pair!);

    public bool TryGetTunnel(int tunnelId, out Tunnel tunnel)
    {
        lock (_sync)
            return _tunnels.TryGetValue(tunnelId, out tunnel!);
    }

    /// <summary>RFC 4301 §4.4.2.1 time lifetimes, checked by a periodic job rather than per packet.</summary>
    public void CheckLifetimes()
    {
        var now = _time.GetTimestamp();
        // Enumerated in place: ConcurrentDictionary.Values would lock every bucket and copy every SA each second.
        foreach (var (_, pair) in _bySpi)
        {
            pair.Inbound.CheckTime(_time, now);
            pair.Outbound.CheckTime(_time, now);
        }
    }

    public void Clear()
    {
        lock (_sync)
        {
            foreach (var pair in _bySpi.Values)
            {
                Retire(pair);
                pair.Inbound.Dispose();
                pair.Outbound.Dispose();
            }
            _bySpi.Clear();
            _byVirtualIp.Clear();
            _tunnels.Clear();
        }
    }
}
