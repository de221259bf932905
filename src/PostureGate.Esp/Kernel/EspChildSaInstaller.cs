// The kernel contract (PostureGate.Kernel.IChildSaInstaller, strongSwan's kernel_ipsec.h)
// implemented by the userspace ESP data plane itself, as strongSwan's kernel-libipsec plugin
// implements it over libipsec:
//   1. a CHILD_SA installation becomes an inbound and an outbound EspSaConfig in one tunnel
//      (RFC 4301 §4.4.2: the inbound SA checks decrypted sources against the peer's selectors,
//      §5.2; outbound, the routes decide what enters the tunnel);
//   2. a tunnel is either one per IKE instance, found by the peer's virtual IP (the gateway),
//      or one for every destination the TUN device hands over (a client);
//   3. the data plane's lifetime events go back as RekeyRequested / Expired, and its packet
//      counters, polled, as TrafficSeen (DPD), never a callback from the packet path.
using System.Collections.Concurrent;
using System.Net;
using PostureGate.Kernel;
using PostureGate.Net;

namespace PostureGate.Esp;

public sealed class EspChildSaInstaller : IChildSaInstaller, IDisposable
{
    /// <summary>The one tunnel of the <see cref="EspChildSaInstallerOptions.OneTunnelForEverything"/> role.</summary>
    public const int SingleTunnelId = 1;

    private readonly IEspDataPlane _esp;
    private readonly EspChildSaInstallerOptions _options;
    private readonly TunnelNumbering _tunnelNumbers;
    private readonly ConcurrentDictionary<string, int> _tunnelIds = new(StringComparer.Ordinal);
    // The reverse map, read per packet by the policy hook: a tunnel's group (the gateway: its phase1).
    private readonly ConcurrentDictionary<int, string> _groupByTunnel = new();
    private readonly ConcurrentDictionary<uint, Entry> _byInboundSpi = new();
    // Each instance's inbound SPIs: "its last CHILD_SA went" and "its CHILD_SAs" without a scan of
    // every SA (a gateway holds 100,000; issue 16).
    private readonly Lock _instancesLock = new();
    private readonly Dictionary<string, List<uint>> _spisByInstance = new(StringComparer.Ordinal);
    private readonly ITimer? _activityTimer;
    private IChildSaEvents? _events;

    private sealed record Entry(ChildSaInstallation Sa, int TunnelId)
    {
        public ulong LastInboundPackets;
        public ulong LastOutboundPackets;
    }

    public EspChildSaInstaller(IEspDataPlane esp, EspChildSaInstallerOptions? options = null)
    {
        _esp = esp;
        _options = options ?? new EspChildSaInstallerOptions();
        _tunnelNumbers = _options.TunnelNumbers ?? new TunnelNumbering();
        _esp.Expired += OnExpired;
        if (_options.ActivityPoll is { } poll)
            _activityTimer = _options.Time.CreateTimer(_ => PollActivity(), null, poll, poll);
    }

    public void Attach(IChildSaEvents events) => _events = events;

    /// <summary>The data plane's tunnel number of an instance ("dialup_0"), for counters.</summary>
    public bool TryGetTunnelId(string instance, out int tunnelId) => _tunnelIds.TryGetValue(instance, out tunnelId);

    /// <summary>The group a tunnel belongs to (<see cref="EspChildSaInstallerOptions.TunnelGroupOf"/>); O(1), for the per-packet policy hook.</summary>
    public bool TryGetTunnelGroup(int tunnelId, out string group) => _groupByTunnel.TryGetValue(tunnelId, out group!);

    public IEnumerable<ChildSaInstallation> Installed => _byInboundSpi.Values.Select(i => i.Sa);

    /// <summary>The CHILD_SAs installed for one instance ("dialup_0"), found through its own SPIs.</summary>
    public IReadOnlyList<ChildSaInstallation> InstalledFor(string instance)
    {
        uint[] spis;
        lock (_instancesLock)
            spis = _spisByInstance.TryGetValue(instance, out var list) ? [.. list] : [];
        var result = new List<ChildSaInstallation>(spis.Length);
        foreach (var spi in spis)
        {
            if (_byInboundSpi.TryGetValue(spi, out var e))
                result.Add(e.Sa);
        }
        return result;
    }

    public bool Install(ChildSaInstallation sa)
    {
        var tunnelId = TunnelOf(sa.Instance);
        // Before the SA: its first packets may reach the policy hook at once.
        _groupByTunnel[tunnelId] = _options.TunnelGroupOf(sa.Instance);
        var lifetime = new SaLifetime(0, 0, 0, 0, sa.SoftLifetime, sa.HardLifetime);
        // RFC 4301 §5.2: a decrypted packet's source must lie in the peer's selectors.
        var peerSources = sa.RemoteSelectors.Select(r => (Ipv4.ToAddress(r.StartAddress), Ipv4.ToAddress(r.EndAddress))).ToArray();
        var inbound = new EspSaConfig(sa.InboundSpi, sa.Encryption, sa.EncryptionKeyBits, sa.Integrity,
            sa.InboundKeys.Encryption.ToArray(), sa.InboundKeys.Integrity.ToArray(), sa.ExtendedSequenceNumbers,
            sa.ReplayWindow, sa.PeerEndpoint, peerSources, lifetime);
        var outbound = new EspSaConfig(sa.OutboundSpi, sa.Encryption, sa.EncryptionKeyBits, sa.Integrity,
            sa.OutboundKeys.Encryption.ToArray(), sa.OutboundKeys.Integrity.ToArray(), sa.ExtendedSequenceNumbers,
            sa.ReplayWindow, sa.PeerEndpoint, [], lifetime);
        try
        {
            _esp.AddChildSa(inbound, outbound, RouteOf(sa), tunnelId);
        }
        catch (ArgumentException)
        {
            return false;
        }
        _byInboundSpi[sa.InboundSpi] = new Entry(sa, tunnelId);
        lock (_instancesLock)
        {
            if (!_spisByInstance.TryGetValue(sa.Instance, out var spis))
                _spisByInstance[sa.Instance] = spis = [];
            spis.Add(sa.InboundSpi);
        }
        return true;
    }

    public void Remove(string instance, uint inboundSpi, uint outboundSpi)
    {
        _byInboundSpi.TryRemove(inboundSpi, out _);
        _esp.DeleteChildSa(inboundSpi);
        var last = true;
        lock (_instancesLock)
        {
            if (_spisByInstance.TryGetValue(instance, out var spis))
            {
                spis.Remove(inboundSpi);
                last = spis.Count == 0;
                if (last)
                    _spisByInstance.Remove(instance);
            }
        }
        // The tunnel goes with the instance's last CHILD_SA; the client role's one tunnel with the last instance.
        if (last && _tunnelIds.TryRemove(instance, out var id) && (!_options.OneTunnelForEverything || _tunnelIds.IsEmpty))
        {
            _groupByTunnel.TryRemove(id, out _);
            _esp.DeleteTunnel(id);
        }
    }

    public void UpdatePeer(string instance, uint inboundSpi, uint outboundSpi, IPEndPoint newPeer, bool udpEncapsulation)
    {
        if (_tunnelIds.TryGetValue(instance, out var id))
            _esp.UpdatePeer(id, newPeer);
    }

    private int TunnelOf(string instance) => _options.OneTunnelForEverything
        ? _tunnelIds.GetOrAdd(instance, SingleTunnelId)
        : _tunnelIds.GetOrAdd(instance, _ => _tunnelNumbers.Next());

    // What the tunnel is found by for outbound packets (IEspDataPlane.AddChildSa).
    private IPAddress RouteOf(ChildSaInstallation sa)
    {
        // 0.0.0.0: this tunnel takes every destination (the client role).
        if (_options.OneTunnelForEverything)
            return IPAddress.Any;
        // The peer's virtual IP; without one (a site-to-site style peer) its first selector stands in.
        return sa.VirtualIp ?? (sa.RemoteSelectors.Count > 0 ? Ipv4.ToAddress(sa.RemoteSelectors[0].StartAddress) : sa.PeerEndpoint.Address);
    }

    private void OnExpired(EspSaExpire e)
    {
        if (_events is not { } events)
            return;
        // The contract names a CHILD_SA by its inbound SPI, whichever direction expired.
        if (e.Hard)
            events.Expired(e.ChildSaInboundSpi);
        else
            events.RekeyRequested(e.ChildSaInboundSpi);
    }

    private void PollActivity()
    {
        if (_events is not { } events)
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
        _activityTimer?.Dispose();
    }
}
