// The diagnose commands a running gateway answers (FortiOS words, seed layouts).
using System.Globalization;
using System.Text.Json;
using PostureGate.Gateway.Diagnose;
using PostureGate.Ike.Kernel;

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
                await inv.Output.WriteLineAsync(GatewayList.FormatJson(sas)).ConfigureAwait(false);
            else
                await ChunkedOutput.WriteAsync(inv.Output, "", GatewayList.Blocks(sas, _options.Time.GetUtcNow()), inv.Cancellation).ConfigureAwait(false);
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
            var views = TunnelList.Named(TunnelViews(), name);
            if (inv.Json)
                await inv.Output.WriteLineAsync(JsonSerializer.Serialize(views, Json)).ConfigureAwait(false);
            else
                await ChunkedOutput.WriteAsync(inv.Output, TunnelView.ListHeader(name), views.Select(v => v.Format()), inv.Cancellation).ConfigureAwait(false);
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
            await inv.Output.WriteAsync(FirewallPolicyList.Format(_firewall?.Policies ?? FirewallBuilder.Build(Config))).ConfigureAwait(false);
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

    /// <summary>The tunnel list's views of the running gateway (built in Diagnose.TunnelList).</summary>
    internal IEnumerable<TunnelView> TunnelViews() =>
        TunnelList.Build(Config.Phase1Interfaces, Ike.Snapshot(), ListenAddressOf,
            p1 => HostCommands.InterfaceIndex(LinuxNameOf(p1.Interface) ?? p1.Interface.Name),
            new EspTunnelTraffic([.. _dataPlanes.Select(d => (d.Installer, d.Esp))], _installer as InMemoryChildSaInstaller));
}
