// The diagnose commands a running gateway answers (FortiOS words, seed layouts).
using System.Globalization;
using System.Text.Json;
using PostureGate.Gateway.Diagnose;
using PostureGate.Ike.Diagnostics;
using PostureGate.Ike.Kernel;
using PostureGate.Kernel;
using PostureGate.Liveness;
using PostureGate.Net;
using CfgModel = PostureGate.Config.Model;

namespace PostureGate.Gateway.Composition;

public sealed partial class GatewayHost
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    private void RegisterDiagnose()
    {
        _diagnose.Add("vpn ike gateway list", "[name NAME]", async inv =>
        {
            var sas = Ike.Snapshot(inv.Named("name"));
            if (inv.Json)
            {
                await inv.Output.WriteLineAsync(JsonSerializer.Serialize(sas.Select(IkeGatewayJson.Of), Json)).ConfigureAwait(false);
                return 0;
            }
            var now = _options.Time.GetUtcNow();
            foreach (var sa in sas)
                await inv.Output.WriteAsync(sa.Format(now) + "\n").ConfigureAwait(false);
            return 0;
        });
        _diagnose.Add("vpn ike gateway clear", "[name NAME]", async inv =>
        {
            var n = Ike.Clear(inv.Named("name"));
            await inv.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"cleared {n} IKE SA(s)")).ConfigureAwait(false);
            return 0;
        }, changesState: true);
        // Session keys: root or the socket's owner only, as for a command that changes state; the CLI writes them to files.
        _diagnose.Add(WiresharkKeyExport.Words, "--wireshark DIR", async inv =>
        {
            var (ike, esp) = Ike.WiresharkRecords();
            await WiresharkKeyExport.WriteAnswerAsync(inv.Output, ike, esp).ConfigureAwait(false);
            return 0;
        }, changesState: true);
        _diagnose.Add("vpn tunnel list", "[name NAME]", async inv =>
        {
            var name = inv.Named("name");
            var views = TunnelViews().Where(t => name is null || t.Name == name || t.Parent == name).ToList();
            if (inv.Json)
                await inv.Output.WriteLineAsync(JsonSerializer.Serialize(views, Json)).ConfigureAwait(false);
            else
                await inv.Output.WriteAsync(TunnelView.FormatList(views, name)).ConfigureAwait(false);
            return 0;
        });
        _diagnose.Add("vpn ipsec status", "", async inv =>
        {
            var views = _dataPlanes.Select(dp => DataPlaneStatus.Of(dp.Phase1, dp.Local, dp.Tun, dp.Bind, dp.Esp)).ToList();
            if (inv.Json)
                await inv.Output.WriteLineAsync(JsonSerializer.Serialize(views, Json)).ConfigureAwait(false);
            else
                foreach (var v in views)
                    await inv.Output.WriteAsync(v.Format()).ConfigureAwait(false);
            return 0;
        });
        _diagnose.Add("firewall policy list", "", async inv =>
        {
            var set = _firewall?.Policies ?? FirewallBuilder.Build(Config);
            foreach (var p in set.Policies)
                await inv.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"policy {p.Id} name=\"{p.Name}\" action={p.Action.ToString().ToLowerInvariant()} nat={(p.Nat ? "enable" : "disable")} hits={p.Hits} bytes={p.Bytes}")).ConfigureAwait(false);
            await inv.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"implicit deny hits={set.ImplicitDenies}")).ConfigureAwait(false);
            return 0;
        });
        _diagnose.Add("debug application", "ike LEVEL", async inv =>
        {
            if (inv.Args.Count != 2 || !int.TryParse(inv.Args[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var level))
            {
                await inv.Output.WriteLineAsync("usage: diagnose debug application ike LEVEL   (-1 everything, 0 off)").ConfigureAwait(false);
                return 2;
            }
            Debug.SetLevel(inv.Args[0], level);
            return 0;
        }, changesState: true);
        _diagnose.Add("debug enable", "", async inv =>
        {
            if (Debug.GetLevel("ike") == 0)
                await inv.Output.WriteLineAsync("(no application debug level set: run `diagnose debug application ike -1` first)").ConfigureAwait(false);
            await Debug.AttachAsync(inv.Output, inv.Cancellation).ConfigureAwait(false);
            return 0;
        });
        _diagnose.Add("debug disable", "", _ => Task.FromResult(0));
        _diagnose.Add("debug reset", "", _ =>
        {
            Debug.Reset();
            return Task.FromResult(0);
        }, changesState: true);
    }

    /// <summary>One parent block per dial-up phase1 and one per live instance, with data-plane counters.</summary>
    internal IEnumerable<TunnelView> TunnelViews()
    {
        var sas = Ike.Snapshot();
        var now = _options.Time.GetUtcNow();
        var serial = 1;
        foreach (var p1 in Config.Phase1Interfaces.Where(p => p.Type == CfgModel.Phase1Type.Dynamic))
        {
            var instances = sas.Where(s => s.PeerConfigName == p1.Name).OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
            var local = ListenAddressOf(p1);
            var dpd = TunnelView.DpdWord(p1.Dpd);
            var bound = HostCommands.InterfaceIndex(LinuxNameOf(p1.Interface) ?? p1.Interface.Name);
            var views = new List<TunnelView>();
            long rxp = 0, txp = 0, rxb = 0, txb = 0;
            foreach (var s in instances)
            {
                var children = InstalledChildren(s.Name).ToList();
                var counters = InstanceCounters(s.Name);
                rxp += counters.RxPackets;
                txp += counters.TxPackets;
                rxb += counters.RxBytes;
                txb += counters.TxBytes;
                InstanceName.TryParse(s.Name, out _, out var index);
                views.Add(new TunnelView
                {
                    Name = s.Name,
                    Serial = ++serial,
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
                    NatKeepalive = s.NatLocal || s.NatRemote,
                    NatKeepaliveInterval = s.NatLocal || s.NatRemote ? 10 : 0,
                    RemotePort = s.NatLocal || s.NatRemote ? s.RemoteEndpoint.Port : 0,
                    SelectorDrops = counters.SelectorDrops,
                    PolicyDrops = counters.PolicyDrops,
                    ReplayDrops = counters.ReplayDrops,
                    AuthFailures = counters.AuthFailures,
                    ProxyIds = children.Select(c => ProxyId(c, now)).ToArray(),
                    Options = [.. new[] { (s.Fragmentation, "frag-rfc"), (s.RemoteAddressChanged, "rgwy-chg"), (s.RemotePortChanged, "rport-chg") }
                        .Where(o => o.Item1).Select(o => o.Item2)],
                });
            }
            yield return new TunnelView
            {
                Name = p1.Name,
                Serial = 1,
                Local = $"{local}:0",
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

    private IEnumerable<ChildSaInstallation> InstalledChildren(string instance) => _installer switch
    {
        InMemoryChildSaInstaller mem => mem.Installed.Where(c => c.Instance == instance),
        _ => _dataPlanes.SelectMany(d => d.Installer.Installed).Where(c => c.Instance == instance),
    };

    private readonly record struct InstanceTraffic(long RxPackets, long TxPackets, long RxBytes, long TxBytes,
        long? InboundIdleSeconds, long? OutboundIdleSeconds, long SelectorDrops, long PolicyDrops, long ReplayDrops, long AuthFailures);

    private InstanceTraffic InstanceCounters(string instance)
    {
        foreach (var dp in _dataPlanes)
        {
            if (!dp.Installer.TryGetTunnelId(instance, out var id) || !dp.Esp.TryGetTunnelCounters(id, out var t))
                continue;
            long sel = 0, pol = 0, rep = 0, auth = 0;
            foreach (var c in dp.Installer.Installed.Where(c => c.Instance == instance))
            {
                if (dp.Esp.TryGetChildSaCounters(c.InboundSpi, out var i, out var o))
                {
                    sel += (long)i.SelectorDrops;
                    pol += (long)(i.PolicyDrops + o.PolicyDrops);
                    rep += (long)i.ReplayDrops;
                    auth += (long)i.AuthFailures;
                }
            }
            return new InstanceTraffic((long)t.RxPackets, (long)t.TxPackets, (long)t.RxBytes, (long)t.TxBytes,
                (long?)t.InboundIdle?.TotalSeconds, (long?)t.OutboundIdle?.TotalSeconds, sel, pol, rep, auth);
        }
        return default;
    }

    private ProxyIdView ProxyId(ChildSaInstallation c, DateTimeOffset now)
    {
        long inPk = 0, inB = 0, outPk = 0, outB = 0;
        foreach (var dp in _dataPlanes)
        {
            if (dp.Esp.TryGetChildSaCounters(c.InboundSpi, out var i, out var o))
            {
                (inPk, inB, outPk, outB) = ((long)i.Packets, (long)i.Bytes, (long)o.Packets, (long)o.Bytes);
                break;
            }
        }
        return ProxyIdFormat.Of(c, inPk, inB, outPk, outB);
    }
}
