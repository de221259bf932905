// The one seam between the IKE control plane and the ESP data plane, the role of
// strongSwan's kernel_ipsec_t and of XFRM's SAD messages: the gateway adapts the IKE
// layer's CHILD_SA install/delete/rekey to these calls. The data plane never sees IKE state.
using System.Net;

namespace PostureGate.Esp;

public interface IEspDataPlane
{
    /// <summary>
    /// Installs a CHILD_SA pair for a tunnel. The inbound SA is found by its SPI; the outbound SA
    /// receives inner packets addressed to <paramref name="virtualIp"/> (IPv4). If the tunnel already
    /// has a pair (a rekey, RFC 7296 §2.8), outbound traffic moves to the new SA now and the old
    /// inbound SA stays valid until <see cref="DeleteChildSa"/> removes it. A <paramref name="virtualIp"/>
    /// of 0.0.0.0 makes the tunnel the default for destinations no other tunnel routes (client role).
    /// </summary>
    /// <exception cref="ArgumentException">Unsupported suite, wrong key length, SPI already in use, or the
    /// virtual IP already belongs to another tunnel.</exception>
    void AddChildSa(EspSaConfig inbound, EspSaConfig outbound, IPAddress virtualIp, int tunnelId);

    /// <summary>Removes the pair whose inbound SPI is given (RFC 7296 §1.4.1) and zeroes its keys.</summary>
    bool DeleteChildSa(uint inboundSpi);

    /// <summary>Removes every pair of a tunnel (its IKE SA is gone); returns how many.</summary>
    int DeleteTunnel(int tunnelId);

    /// <summary>RFC 7296 §2.23: the peer's NAT mapping changed; outbound packets of the tunnel go to <paramref name="peer"/>.</summary>
    bool UpdatePeer(int tunnelId, IPEndPoint peer);

    /// <summary>The counters of both directions of the pair with this inbound SPI.</summary>
    bool TryGetChildSaCounters(uint inboundSpi, out EspSaCounters inbound, out EspSaCounters outbound);

    /// <summary>The traffic counters of a tunnel, as `diagnose vpn tunnel list` prints them.</summary>
    bool TryGetTunnelCounters(int tunnelId, out TunnelCounters counters);

    /// <summary>
    /// Raised (on a thread-pool thread, once per SA and severity) when an SA reaches a soft or hard
    /// lifetime: soft asks for a rekey, hard means the SA no longer passes traffic.
    /// </summary>
    event Action<EspSaExpire>? Expired;
}

/// <summary>Which limit an SA reached.</summary>
public enum LifetimeLimit : byte
{
    Bytes,
    Packets,
    Time,
    /// <summary>RFC 4303 §3.3.3: the sequence number would cycle; the SA must be rekeyed.</summary>
    SequenceNumber,
}

/// <summary>
/// An SA reached a lifetime (the analogue of XFRM_MSG_EXPIRE). <paramref name="ChildSaInboundSpi"/> names the
/// CHILD_SA pair as every other call here does; <paramref name="Spi"/> and <paramref name="Inbound"/> say which
/// of its two SAs reached the limit.
/// </summary>
public readonly record struct EspSaExpire(uint ChildSaInboundSpi, uint Spi, bool Inbound, int TunnelId, bool Hard, LifetimeLimit Limit);

/// <summary>Per-SA counters.</summary>
public readonly record struct EspSaCounters(
    ulong Packets, ulong Bytes,
    ulong ReplayDrops, ulong AuthFailures, ulong SelectorDrops, ulong PolicyDrops, ulong MalformedDrops, ulong ExpiredDrops);

/// <summary>
/// Per-tunnel traffic (inner packets and bytes) and idle times; FortiOS prints them as
/// `stat: rxp= txp= rxb= txb=` and `ilast= olast=`. Dead peer detection keys on the idle times.
/// </summary>
public readonly record struct TunnelCounters(
    ulong RxPackets, ulong TxPackets, ulong RxBytes, ulong TxBytes,
    TimeSpan? InboundIdle, TimeSpan? OutboundIdle);
