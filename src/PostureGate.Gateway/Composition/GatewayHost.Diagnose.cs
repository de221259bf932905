// The diagnose commands a running gateway answers (FortiOS words, seed layouts).
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PostureGate.Gateway.Diagnose;
using PostureGate.Ike.Kernel;

namespace PostureGate.Gateway.Composition;

public sealed partial class GatewayHost
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>The control words behind `pgate gateway drain` and `diagnose vpn ike redirect`.</summary>
    public const string DrainWords = "gateway drain", RedirectWords = "vpn ike redirect";

    private void RegisterDiagnose()
    {
        _diagnose.Add("vpn ike gateway list", "[name NAME] [--cluster]", async inv =>
        {
            if (inv.Args.Contains(ClusterWord))
                return await ListClusterAsync(inv).ConfigureAwait(false);
            var sas = Ike.Snapshot(inv.Named("name"));
            if (inv.Json)
                await inv.Output.WriteLineAsync(GatewayList.FormatJson(sas)).ConfigureAwait(false);
            else
                await ChunkedOutput.WriteAsync(inv.Output, "", GatewayList.Blocks(sas, _options.Time.GetUtcNow()), inv.Cancellation).ConfigureAwait(false);
            return 0;
        });
        _diagnose.Add("vpn ike gateway clear", "[name NAME [node NODE]]", async inv =>
        {
            var name = inv.Named("name");
            var node = inv.Named("node");
            if (node is not null && _options.Cluster is not null && node != _options.Cluster.Store.Node)
                return await ClearRemoteAsync(inv, node, name).ConfigureAwait(false);
            var n = Ike.Clear(name);
            if (n == 0 && name is not null && _options.Cluster is not null)
                return await ClearRemoteAsync(inv, null, name).ConfigureAwait(false);
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
        _diagnose.Add(RedirectWords, "", async inv =>
        {
            var status = RedirectStatus.Of(Ike, Ike.PeerConfigs);
            await inv.Output.WriteAsync(inv.Json ? JsonSerializer.Serialize(status, Json) + "\n" : status.Format()).ConfigureAwait(false);
            return 0;
        });
        // `pgate gateway drain [--off]`: RFC 5685 redirect of new clients; established tunnels stay.
        _diagnose.Add(DrainWords, "on|off", async inv =>
        {
            if (inv.Args is not [("on" or "off") and var word])
            {
                await inv.Output.WriteLineAsync("usage: pgate gateway drain [--off]").ConfigureAwait(false);
                return 2;
            }
            var on = word == "on";
            var was = Ike.Redirect.Draining;
            Ike.Redirect.Draining = on;
            if (was != on)
                _log.LogInformation(on ? "draining: new IKE SAs are redirected (or refused); established ones stay" : "draining ended: new IKE SAs are served again");
            await inv.Output.WriteLineAsync(on
                ? string.Create(CultureInfo.InvariantCulture, $"draining: new IKE SAs are redirected (or refused where they cannot be); {Ike.Count} IKE SA(s) stay")
                : "not draining: new IKE SAs are served").ConfigureAwait(false);
            // In a cluster the flag is shared, so the other nodes stop (or start again) redirecting here.
            if (_options.Cluster is { } cluster)
            {
                try
                {
                    await cluster.SetDrainingAsync(on, inv.Cancellation).ConfigureAwait(false);
                    await inv.Output.WriteLineAsync($"cluster: node {cluster.Store.Node} recorded as {(on ? "draining" : "serving")}").ConfigureAwait(false);
                }
                catch (Cluster.ClusterDatabaseException e)
                {
                    await inv.Output.WriteLineAsync($"{e.Message}; the cluster records the draining flag at the next heartbeat once the database is back").ConfigureAwait(false);
                    return 1;
                }
            }
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

    /// <summary>The word `pgate diagnose --cluster` adds to the request.</summary>
    public const string ClusterWord = "--cluster";

    private async Task<int> ListClusterAsync(DiagnoseInvocation inv)
    {
        if (_options.Cluster is not { } cluster)
        {
            await inv.Output.WriteLineAsync("this gateway is not in a cluster (pgate gateway --cluster-db)").ConfigureAwait(false);
            return 1;
        }
        try
        {
            var nodes = await cluster.NodeLoadsAsync(inv.Cancellation).ConfigureAwait(false);
            var sessions = await cluster.SessionsAsync(inv.Cancellation).ConfigureAwait(false);
            await inv.Output.WriteAsync(inv.Json ? ClusterGatewayList.FormatJson(nodes, sessions) + "\n"
                : ClusterGatewayList.Format(nodes, sessions, _options.Time.GetUtcNow())).ConfigureAwait(false);
            return 0;
        }
        catch (Cluster.ClusterDatabaseException e)
        {
            await inv.Output.WriteLineAsync(e.Message).ConfigureAwait(false);
            return 1;
        }
    }

    /// <summary>A tunnel of another node: a `clear` command in the cluster database, run by that node within a second or so.</summary>
    private async Task<int> ClearRemoteAsync(DiagnoseInvocation inv, string? node, string? name)
    {
        var cluster = _options.Cluster!;
        if (name is null)
        {
            await inv.Output.WriteLineAsync("clearing on another node needs `name NAME`").ConfigureAwait(false);
            return 2;
        }
        try
        {
            if (node is null)
            {
                var holders = (await cluster.SessionsAsync(inv.Cancellation).ConfigureAwait(false))
                    .Where(s => s.Instance == name && s.Node != cluster.Store.Node).Select(s => s.Node).Distinct().ToList();
                if (holders.Count != 1)
                {
                    await inv.Output.WriteLineAsync(holders.Count == 0 ? "cleared 0 IKE SA(s)"
                        : $"{name} is on nodes {string.Join(", ", holders)}: add `node NODE`").ConfigureAwait(false);
                    return holders.Count == 0 ? 0 : 2;
                }
                node = holders[0];
            }
            if (!await cluster.ClearRemoteAsync(node, name, inv.Cancellation).ConfigureAwait(false))
            {
                await inv.Output.WriteLineAsync($"no node {node} in the cluster").ConfigureAwait(false);
                return 1;
            }
            await inv.Output.WriteLineAsync($"asked node {node} to clear {name}").ConfigureAwait(false);
            return 0;
        }
        catch (Cluster.ClusterDatabaseException e)
        {
            await inv.Output.WriteLineAsync(e.Message).ConfigureAwait(false);
            return 1;
        }
    }

    /// <summary>The tunnel list's views of the running gateway (built in Diagnose.TunnelList).</summary>
    internal IEnumerable<TunnelView> TunnelViews() =>
        TunnelList.Build(Config.Phase1Interfaces, Ike.Snapshot(), ListenAddressOf,
            p1 => HostCommands.InterfaceIndex(LinuxNameOf(p1.Interface) ?? p1.Interface.Name),
            new EspTunnelTraffic([.. _dataPlanes.Select(d => (d.Installer, d.Esp))], _installer as InMemoryChildSaInstaller));
}
