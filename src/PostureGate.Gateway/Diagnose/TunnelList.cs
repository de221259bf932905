// `diagnose vpn tunnel list` (FortiOS 7.4, the seed document): one parent block per dial-up phase1
// (its listen address, DPD settings, instance count and summed traffic) followed by one block per
// live instance (endpoints, tun_id, NAT keepalive, drop counters, its CHILD_SAs as proxyids).
using System.Net;
using PostureGate.Config.Model;
using PostureGate.Ike.Diagnostics;
using PostureGate.Kernel;
using PostureGate.Liveness;

namespace PostureGate.Gateway.Diagnose;

internal static class TunnelList
{
    /// <summary>
    /// The views of every dial-up phase1 in <paramref name="phase1s"/> and its instances among <paramref name="sas"/>;
    /// <paramref name="listen"/> and <paramref name="interfaceIndex"/> say where each phase1 is bound.
    /// </summary>
    public static IEnumerable<TunnelView> Build(IEnumerable<Phase1Interface> phase1s, IReadOnlyList<IkeSaSnapshot> sas,
        Func<Phase1Interface, IPAddress> listen, Func<Phase1Interface, int> interfaceIndex, ITunnelTraffic traffic)
    {
        var serial = 1;
        foreach (var p1 in phase1s.Where(p => p.Type == Phase1Type.Dynamic))
        {
            var instances = sas.Where(s => s.PeerConfigName == p1.Name).OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
            var dpd = TunnelView.DpdWord(p1.Dpd);
            var bound = interfaceIndex(p1);
            var views = new List<TunnelView>();
            long rxp = 0, txp = 0, rxb = 0, txb = 0;
            foreach (var s in instances)
            {
                var counters = traffic.Instance(s.Name);
                rxp += counters.RxPackets;
                txp += counters.TxPackets;
                rxb += counters.RxBytes;
                txb += counters.TxBytes;
                views.Add(Instance(p1, s, ++serial, bound, dpd, counters, traffic));
            }
            yield return new TunnelView
            {
                Name = p1.Name,
                Serial = 1,
                Local = $"{listen(p1)}:0",
                Remote = "0.0.0.0:0",
                BoundInterfaceIndex = bound,
                ChildCount = instances.Count,
                RxPackets = rxp,
                TxPackets = txp,
                RxBytes = rxb,
                TxBytes = txb,
                DpdMode = dpd,
                DpdIdleMs = (long)p1.DpdRetryInterval.TotalMilliseconds,
                DpdRetry = p1.DpdRetryCount,
            };
            foreach (var v in views)
                yield return v;
        }
    }

    /// <summary>The views `name NAME` selects: the tunnel of that name, or a phase1 and its instances.</summary>
    public static List<TunnelView> Named(IEnumerable<TunnelView> views, string? name) =>
        [.. views.Where(t => name is null || t.Name == name || t.Parent == name)];

    private static TunnelView Instance(Phase1Interface p1, IkeSaSnapshot s, int serial, int bound, string dpd, InstanceTraffic counters, ITunnelTraffic traffic)
    {
        InstanceName.TryParse(s.Name, out _, out var index);
        var nat = s.NatLocal || s.NatRemote;
        return new TunnelView
        {
            Name = s.Name,
            Serial = serial,
            Local = $"{s.LocalEndpoint}",
            Remote = $"{s.RemoteEndpoint}",
            NextHop = s.RemoteEndpoint.Address.ToString(),
            TunnelId = (s.AssignedAddress ?? s.RemoteEndpoint.Address).ToString(),
            BoundInterfaceIndex = bound,
            RealInterfaceIndex = bound,
            Parent = p1.Name,
            Index = index,
            ChildCount = 0,
            InboundIdleSeconds = counters.InboundIdleSeconds,
            OutboundIdleSeconds = counters.OutboundIdleSeconds,
            RxPackets = counters.RxPackets,
            TxPackets = counters.TxPackets,
            RxBytes = counters.RxBytes,
            TxBytes = counters.TxBytes,
            DpdMode = dpd,
            DpdOn = p1.Dpd != DpdMode.Disable,
            DpdIdleMs = (long)p1.DpdRetryInterval.TotalMilliseconds,
            DpdRetry = p1.DpdRetryCount,
            NatKeepalive = nat,
            NatKeepaliveInterval = nat ? 10 : 0,
            RemotePort = nat ? s.RemoteEndpoint.Port : 0,
            SelectorDrops = counters.SelectorDrops,
            PolicyDrops = counters.PolicyDrops,
            ReplayDrops = counters.ReplayDrops,
            AuthFailures = counters.AuthFailures,
            ProxyIds = [.. traffic.InstalledChildren(s.Name).Select(c => ProxyId(c, traffic))],
            Options = [.. new[] { (s.Fragmentation, "frag-rfc"), (s.RemoteAddressChanged, "rgwy-chg"), (s.RemotePortChanged, "rport-chg") }
                .Where(o => o.Item1).Select(o => o.Item2)],
        };
    }

    private static ProxyIdView ProxyId(ChildSaInstallation c, ITunnelTraffic traffic)
    {
        var t = traffic.Child(c.InboundSpi);
        return ProxyIdFormat.Of(c, t.InPackets, t.InBytes, t.OutPackets, t.OutBytes);
    }
}
