// `diagnose vpn tunnel list [name NAME]` in the layout of the seed document
// (FortiOS 7.4): one block per phase1 (mode=dialup) and per dial-up instance
// (mode=dial_inst), with traffic counters, DPD and NAT-T state, and a proxyid
// section per CHILD_SA. Keys are never shown. Each field shows what PostureGate knows of this
// tunnel or is left out: FortiOS's options bitmask, run_state, country, refcnt, and the fields
// of features PostureGate does not have (lgwy, role, accept_traffic, overlay_id, weight, ad,
// fec, the SA's ref/options/type/soft/mtu, byte lifetimes) never appear; the parent has no
// tun_id (FortiOS's 10.0.0.1 is an internal address PostureGate has no counterpart of); an
// interface whose index is unknown gives no bound_if, a tunnel that has carried no packet (or
// runs without a data plane) no ilast / olast. `options=` names what holds for the
// instance: frag-rfc (RFC 7383 fragmentation agreed), rgwy-chg / rport-chg (the peer's address /
// port changed since it connected).
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Serialization;
using PostureGate.Ike.Diagnostics;
using PostureGate.Liveness;

namespace PostureGate.Gateway.Diagnose;

public sealed record ProxyIdView(
    string Name,
    string Source,          // "0:0.0.0.0-255.255.255.255:0"
    string Destination,     // "0:192.0.2.200-192.0.2.200:0"
    uint InboundSpi,
    uint OutboundSpi,
    string Encryption,      // "aes-gcm", "aes", "chacha20poly1305"
    int KeyBytes,
    string Integrity,       // "null", "sha256" …
    int ReplayWindow,
    long LifetimeSeconds,
    long ExpiresInSeconds,
    long InboundPackets,
    long InboundBytes,
    long OutboundPackets,
    long OutboundBytes);

public sealed record TunnelView
{
    public required string Name { get; init; }
    public required int Serial { get; init; }
    public required string Local { get; init; }          // "198.51.100.1:0"
    public required string Remote { get; init; }         // "0.0.0.0:0" for the parent
    public string NextHop { get; init; } = "";
    /// <summary>The instance's virtual IP (or the peer's address); null for the phase1 itself.</summary>
    public string? TunnelId { get; init; }
    public bool Up { get; init; } = true;
    /// <summary>0: unknown (left out).</summary>
    public int DstMtu { get; init; }
    /// <summary>The phase1 interface's ifindex; 0: unknown (left out).</summary>
    public int BoundInterfaceIndex { get; init; }
    /// <summary>The interface the instance's datagrams arrive on; 0: none or unknown (left out).</summary>
    public int RealInterfaceIndex { get; init; }
    /// <summary>"dialup/2" for the phase1, "dial_inst/3" for an instance.</summary>
    [JsonIgnore]
    public bool IsInstance => Parent is not null;
    public string? Parent { get; init; }
    public int Index { get; init; }
    public int ChildCount { get; init; }
    /// <summary>Seconds since the last packet in / out; null: none yet, or no data plane (left out).</summary>
    public long? InboundIdleSeconds { get; init; }
    public long? OutboundIdleSeconds { get; init; }
    public long RxPackets { get; init; }
    public long TxPackets { get; init; }
    public long RxBytes { get; init; }
    public long TxBytes { get; init; }
    public required string DpdMode { get; init; }        // "on-demand", "on-idle", "disable"
    public bool DpdOn { get; init; }
    public long DpdIdleMs { get; init; }
    public int DpdRetry { get; init; }
    public bool NatKeepalive { get; init; }
    public int NatKeepaliveInterval { get; init; }
    public int RemotePort { get; init; }
    public long SelectorDrops { get; init; }
    public long PolicyDrops { get; init; }
    public long ReplayDrops { get; init; }
    public long AuthFailures { get; init; }
    public IReadOnlyList<ProxyIdView> ProxyIds { get; init; } = [];
    /// <summary>"frag-rfc", "rgwy-chg", "rport-chg": what holds for this tunnel (none: the field is left out).</summary>
    public IReadOnlyList<string> Options { get; init; } = [];

    public string Format()
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append("------------------------------------------------------\n");
        sb.Append(c, $"name={Name} ver=2 serial={Serial} {Local}->{Remote} nexthop={NextHop}");
        if (TunnelId is not null)
            sb.Append(c, $" tun_id={TunnelId} tun_id6={IkeSaSnapshot.TunnelId6(IPAddress.Parse(TunnelId))}");
        sb.Append(Up ? " status=up" : " status=down");
        if (DstMtu > 0)
            sb.Append(c, $" dst_mtu={DstMtu}");
        sb.Append('\n');
        var second = new List<string>();
        if (BoundInterfaceIndex > 0)
            second.Add(string.Create(c, $"bound_if={BoundInterfaceIndex}"));
        if (RealInterfaceIndex > 0)
            second.Add(string.Create(c, $"real_if={RealInterfaceIndex}"));
        second.Add($"tun=intf mode={(IsInstance ? "dial_inst/3" : "dialup/2")} encap=none");
        if (Options.Count > 0)
            second.Add($"options={string.Join(' ', Options)}");
        sb.AppendJoin(' ', second).Append('\n');
        if (IsInstance)
            sb.Append(c, $"parent={Parent} index={Index}\n");
        sb.Append(c, $"proxyid_num={ProxyIds.Count} child_num={ChildCount}");
        if (InboundIdleSeconds is { } ilast)
            sb.Append(c, $" ilast={ilast}");
        if (OutboundIdleSeconds is { } olast)
            sb.Append(c, $" olast={olast}");
        sb.Append('\n');
        sb.Append(c, $"stat: rxp={RxPackets} txp={TxPackets} rxb={RxBytes} txb={TxBytes}\n");
        sb.Append(c, $"dpd: mode={DpdMode} on={(DpdOn ? 1 : 0)} idle={DpdIdleMs}ms retry={DpdRetry}\n");
        sb.Append(c, $"natt: mode={(NatKeepalive ? "keepalive" : "none")} draft=0 interval={NatKeepaliveInterval} remote_port={RemotePort}\n");
        if (SelectorDrops + PolicyDrops + ReplayDrops + AuthFailures > 0)
            sb.Append(c, $"drop: selector={SelectorDrops} policy={PolicyDrops} replay={ReplayDrops} auth={AuthFailures}\n");
        for (var i = 0; i < ProxyIds.Count; i++)
        {
            var p = ProxyIds[i];
            // The selector's protocol is the number before the first ':' ("0:0.0.0.0-255.255.255.255:0").
            var proto = p.Source.Split(':', 2)[0];
            sb.Append(c, $"proxyid={p.Name} proto={proto} sa=1 serial={i + 1}\n");
            sb.Append(c, $"  src: {p.Source}\n");
            sb.Append(c, $"  dst: {p.Destination}\n");
            sb.Append(c, $"  SA:  expire={p.ExpiresInSeconds} replaywin={p.ReplayWindow}\n");
            sb.Append(c, $"       life: timeout={p.ExpiresInSeconds}/{p.LifetimeSeconds}\n");
            sb.Append(c, $"       dec: spi={p.InboundSpi:x8} esp={p.Encryption} key={p.KeyBytes} ah={p.Integrity}\n");
            sb.Append(c, $"       enc: spi={p.OutboundSpi:x8} esp={p.Encryption} key={p.KeyBytes} ah={p.Integrity}\n");
            sb.Append(c, $"       dec:pkts/bytes={p.InboundPackets}/{p.InboundBytes}, enc:pkts/bytes={p.OutboundPackets}/{p.OutboundBytes}\n");
        }
        return sb.ToString();
    }

    /// <summary>`set dpd` as FortiOS prints it in `dpd=` (the configuration's own word).</summary>
    public static string DpdWord(DpdMode mode) => mode switch
    {
        // Qualified: the DpdMode property above hides the enum's name inside this record.
        Liveness.DpdMode.OnIdle => "on-idle",
        Liveness.DpdMode.OnDemand => "on-demand",
        _ => "disable",
    };

    public static string FormatList(IEnumerable<TunnelView> tunnels, string? name)
    {
        var sb = new StringBuilder(ListHeader(name));
        foreach (var t in tunnels)
            sb.Append(t.Format());
        return sb.ToString();
    }

    /// <summary>The list's first line (`name NAME` or all).</summary>
    public static string ListHeader(string? name) => name is null ? "list all ipsec tunnel in vd 0\n" : "list ipsec tunnel by names in vd 0\n";
}
