// The IKE layer's kernel seam (IChildSaInstaller) implemented over the userspace
// ESP data plane (IEspDataPlane). This adapter is the only place that knows both:
// it numbers tunnels (one per dial-up instance), turns installations into SA
// configs, and turns the data plane's lifetime events and idle times back into
// IKE events (rekey, expire, traffic seen for DPD).
using System.Collections.Concurrent;
using System.Net;
using PostureGate.Esp;
using PostureGate.Ike.Kernel;
using PostureGate.Net;

namespace PostureGate.Gateway.Composition;

public sealed class EspChildSaInstaller : IChildSaInstaller, IDisposable
{
    private readonly IEspDataPlane _esp;
    private readonly ConcurrentDictionary<string, int> _tunnelIds = new(StringComparer.Ordinal);
    // The reverse map, read per packet by the firewall hook: the phase1 (srcintf) of a tunnel.
    private readonly ConcurrentDictionary<int, string> _phase1ByTunnel = new();
    private readonly ConcurrentDictionary<uint, Entry> _byInboundSpi = new();
    private readonly ITimer _activityTimer;
    private IChildSaEvents? _events;
    // Process-wide: with several data planes the one firewall hook must still tell tunnels apart.
    private static int s_nextTunnelId;

    private sealed record Entry(ChildSaInstallation Sa, int TunnelId)
    {
        public ulong LastInboundPackets;
        public ulong LastOutboundPackets;
    }

    public EspChildSaInstaller(IEspDataPlane esp, TimeProvider time, TimeSpan activityPoll)
    {
        _esp = esp;
        _esp.Expired += OnExpired;
        // DPD wants to know whether traffic flowed; polling counters once per interval
        // costs nothing per packet, unlike a callback from the data path.
        _activityTimer = time.CreateTimer(_ => PollActivity(), null, activityPoll, activityPoll);
    }

    public void Attach(IChildSaEvents events) => _events = events;

    /// <summary>The data plane's tunnel number of an instance ("dialup_0"), for counters.</summary>
    public bool TryGetTunnelId(string instance, out int tunnelId) => _tunnelIds.TryGetValue(instance, out tunnelId);

    /// <summary>The phase1 a data-plane tunnel belongs to; O(1), for the per-packet policy hook.</summary>
    public bool TryGetPhase1(int tunnelId, out string phase1) => _phase1ByTunnel.TryGetValue(tunnelId, out phase1!);

    public IEnumerable<ChildSaInstallation> Installed => _byInboundSpi.Values.Select(i => i.Sa);

    public bool Install(ChildSaInstallation sa)
    {
        var tunnelId = _tunnelIds.GetOrAdd(sa.Instance, _ => Interlocked.Increment(ref s_nextTunnelId));
        _phase1ByTunnel[tunnelId] = GatewayHost.Phase1Of(sa.Instance);
        var lifetime = new SaLifetime(0, 0, 0, 0, sa.SoftLifetime, sa.HardLifetime);
        var peerSources = sa.RemoteSelectors.Select(r => (Ipv4.ToAddress(r.StartAddress), Ipv4.ToAddress(r.EndAddress))).ToArray();
        var inbound = new EspSaConfig(sa.InboundSpi, sa.Encryption, sa.EncryptionKeyBits, sa.Integrity,
            sa.InboundKeys.Encryption.ToArray(), sa.InboundKeys.Integrity.ToArray(), sa.ExtendedSequenceNumbers,
            sa.ReplayWindow, sa.PeerEndpoint, peerSources, lifetime);
        var outbound = new EspSaConfig(sa.OutboundSpi, sa.Encryption, sa.EncryptionKeyBits, sa.Integrity,
            sa.OutboundKeys.Encryption.ToArray(), sa.OutboundKeys.Integrity.ToArray(), sa.ExtendedSequenceNumbers,
            sa.ReplayWindow, sa.PeerEndpoint, [], lifetime);
        // On a gateway the outbound SA carries packets to the peer's virtual IP; without one
        // (a site-to-site style peer) its first remote selector address stands in.
        var vip = sa.VirtualIp ?? (sa.RemoteSelectors.Count > 0 ? Ipv4.ToAddress(sa.RemoteSelectors[0].StartAddress) : sa.PeerEndpoint.Address);
        try
        {
            _esp.AddChildSa(inbound, outbound, vip, tunnelId);
        }
        catch (ArgumentException)
        {
            return false;
        }
        _byInboundSpi[sa.InboundSpi] = new Entry(sa, tunnelId);
        return true;
    }

    public void Remove(string instance, uint inboundSpi, uint outboundSpi)
    {
        _byInboundSpi.TryRemove(inboundSpi, out _);
        _esp.DeleteChildSa(inboundSpi);
        if (!_byInboundSpi.Values.Any(i => i.Sa.Instance == instance) && _tunnelIds.TryRemove(instance, out var id))
        {
            _phase1ByTunnel.TryRemove(id, out _);
            _esp.DeleteTunnel(id);
        }
    }

    public void UpdatePeer(string instance, uint inboundSpi, uint outboundSpi, IPEndPoint newPeer, bool udpEncapsulation)
    {
        if (_tunnelIds.TryGetValue(instance, out var id))
            _esp.UpdatePeer(id, newPeer);
    }

    private void OnExpired(EspSaExpire e)
    {
        var events = _events;
        if (events is null)
            return;
        // The IKE layer keys CHILD_SAs by their inbound SPI; map an outbound SPI to its pair.
        var inboundSpi = e.Inbound ? e.Spi : _byInboundSpi.Values.FirstOrDefault(i => i.Sa.OutboundSpi == e.Spi)?.Sa.InboundSpi ?? 0;
        if (inboundSpi == 0)
            return;
        if (e.Hard)
            events.Expired(inboundSpi);
        else
            events.RekeyRequested(inboundSpi);
    }

    private void PollActivity()
    {
        var events = _events;
        if (events is null)
            return;
        foreach (var (spi, installed) in _byInboundSpi)
        {
            if (!_esp.TryGetChildSaCounters(spi, out var inbound, out var outbound))
                continue;
            var sawIn = inbound.Packets != installed.LastInboundPackets;
            var sawOut = outbound.Packets != installed.LastOutboundPackets;
            installed.LastInboundPackets = inbound.Packets;
            installed.LastOutboundPackets = outbound.Packets;
            if (sawIn || sawOut)
                events.TrafficSeen(spi, sawIn, sawOut);
        }
    }

    public void Dispose()
    {
        _esp.Expired -= OnExpired;
        _activityTimer.Dispose();
    }
}
