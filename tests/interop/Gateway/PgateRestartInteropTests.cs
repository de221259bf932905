// kill -9 of `pgate gateway` during traffic, then a restart (issue 12 "Loss and faults"): the
// client's new SA comes up and carries traffic, and the restart leaves the gateway namespace as a
// clean start does — one TUN device, the same nftables tables and routes, nothing stale or doubled.
// Clients that find out by themselves: strongSwan with DPD (RFC 7296 §2.4, dpd_action restart) and
// `pgate client --tun` (its on-demand DPD), each back within a stated time, no virtual IP twice.
using System.Diagnostics;
using PostureGate.Interop.Tests.Lab;
using PostureGate.Interop.Tests.Pgate;
using Xunit.Abstractions;

namespace PostureGate.Interop.Tests.Gateway;

public sealed class PgateRestartInteropTests(ITestOutputHelper output)
{
    /// <summary>Links, nftables tables and routes of the gateway namespace, one line each, sorted.</summary>
    private static async Task<string> KernelStateAsync(InteropLab lab)
    {
        var links = await lab.ExecInGatewayAsync("ip", "-o", "link", "show");
        var tables = await lab.ExecInGatewayAsync("nft", "list", "tables");
        var routes = await lab.ExecInGatewayAsync("ip", "-4", "route", "show");
        // Interface indexes and counters change with a new TUN device; names and order do not.
        var linkNames = links.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(':')[1].Trim());
        return string.Join('\n', linkNames.Concat(tables.StdOut.Split('\n')).Concat(routes.StdOut.Split('\n'))
            .Where(l => l.Length > 0).Order(StringComparer.Ordinal));
    }

    [SkippableFact]
    public async Task KilledMidTraffic_ThenRestarted_TheClientIsBack_AndNothingIsLeftOver()
    {
        var config = new PgateLabConfig();
        await using var lab = await InteropLab.CreateWithPgateAsync(output, config);
        var first = await lab.InitiateEstablishedAsync("dialup");
        var clean = await KernelStateAsync(lab);
        var ping = lab.PingFromClientAsync(first.LocalVips.Single(), count: 20);

        var pid = int.Parse((await File.ReadAllTextAsync(Path.Combine(lab.StateDir, "gw", "pgate.pid"))).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        using (var gateway = Process.GetProcessById(pid))
        {
            gateway.Kill();   // SIGKILL: no shutdown code runs
            await gateway.WaitForExitAsync();
        }
        await ping;
        var clock = Stopwatch.StartNew();
        await lab.StartPgateGatewayAsync(config.ToString());
        // The client learns of the loss by DPD or by its user; here it starts over (INITIAL_CONTACT).
        await lab.SwanctlAsync(CharonInstance.Client, TimeSpan.FromSeconds(30), "--terminate", "--ike", "dialup", "--force");
        var second = await lab.InitiateEstablishedAsync("dialup");
        output.WriteLine($"back {clock.Elapsed.TotalSeconds:0.0} s after the restart began");

        var after = await lab.PingFromClientAsync(second.LocalVips.Single());
        Assert.True(after.AllReplied, lab.Explain($"no traffic through the new SA:\n{after.Command}"));
        Assert.Equal(clean, await KernelStateAsync(lab));
    }

    /// <summary>Two users (their own SAs: INITIAL_CONTACT of one never deletes the other's), each with DPD
    /// every 5 s and a restart when the peer is found dead.</summary>
    private const string DpdConf = """
        connections {
            dpd-alice : connections.dialup {
                dpd_delay = 5s
                children { lan { dpd_action = restart } }
            }
            dpd-bob : connections.wrong-password {
                dpd_delay = 5s
                children { lan { dpd_action = restart } }
            }
        }
        """;

    [SkippableFact]
    public async Task KilledMidTraffic_StrongSwanClientsWithDpd_ComeBackByThemselves_EachWithItsOwnAddress()
    {
        // bob logs in with the password the client's wrong-password conn sends.
        var config = new PgateLabConfig { Users = [("alice", "alice-lab-password"), ("bob", "not-bobs-password")] };
        await using var lab = await InteropLab.CreateWithPgateAsync(output, config, new ClientOptions { ExtraSwanctlConf = DpdConf });
        var alice = await lab.InitiateEstablishedAsync("dpd-alice");
        var bob = await lab.InitiateEstablishedAsync("dpd-bob");
        var clean = await KernelStateAsync(lab);
        var ping = lab.PingFromClientAsync(alice.LocalVips.Single(), count: 10);

        await KillGatewayAsync(lab);
        await ping;
        var clock = Stopwatch.StartNew();
        await lab.StartPgateGatewayAsync(config.ToString());
        // No swanctl command: DPD finds the new gateway knows nothing of the old SAs (it answers no unknown SPI,
        // §2.21.4), charon gives up after its retransmissions and dpd_action restart sets up new ones.
        var back = await lab.WaitForSasAsync(l =>
                l.Count(s => s.IsEstablished && s.Children.Any(c => c.IsInstalled)
                    && s.InitiatorSpi != alice.InitiatorSpi && s.InitiatorSpi != bob.InitiatorSpi) == 2,
            TimeSpan.FromSeconds(150), "both DPD conns set up again by themselves");
        output.WriteLine($"strongSwan with DPD (5 s): both SAs back {clock.Elapsed.TotalSeconds:0.0} s after the restart began");

        var vips = back.Where(s => s.IsEstablished).SelectMany(s => s.LocalVips).ToList();
        Assert.Equal(2, vips.Count);
        Assert.Equal(2, vips.Distinct().Count());
        foreach (var vip in vips)
        {
            var after = await lab.PingFromClientAsync(vip);
            Assert.True(after.AllReplied, lab.Explain($"no traffic from {vip} through its new SA:\n{after.Command}"));
        }
        var list = (await lab.PgateDiagnoseAsync("vpn", "ike", "gateway", "list")).StdOut;
        // The gateway's own view: two SAs, each address leased once.
        var leased = System.Text.RegularExpressions.Regex.Matches(list, @"^assigned IPv4 address: ([0-9.]+)/", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(vips.Order(StringComparer.Ordinal), leased);
        Assert.Equal(clean, await KernelStateAsync(lab));
    }

    [SkippableFact]
    public async Task KilledMidTraffic_PgateClientWithTun_ReconnectsByItself()
    {
        var config = new PgateLabConfig();
        await using var lab = await InteropLab.CreateWithPgateOnlyAsync(output, config);
        using var client = lab.StartPgateClient(extraArgs: "--tun");
        var first = await lab.WaitForPgateClientConnectedAsync(client);
        var clean = await KernelStateAsync(lab);
        // Traffic all along: the client's DPD is FortiOS's on-demand (20 s, 3 retries), a probe only when it
        // sent and heard nothing back.
        var traffic = LabProcess.Start("ip", ["netns", "exec", lab.Namespace(LabNamespace.Client), "ping", "-q", "-i", "0.5", "-w", "400", InteropLab.LanHostIp],
            TimeSpan.FromMinutes(7));

        await KillGatewayAsync(lab);
        var clock = Stopwatch.StartNew();
        await lab.StartPgateGatewayAsync(config.ToString());
        PostureGate.Client.ClientStatus? now = null;
        try
        {
            await lab.WaitForAsync(() =>
            {
                now = client.ReadStatus();
                return Task.FromResult(now is { State: "connected", VirtualIp: not null } && now.ConnectedSince > first.ConnectedSince
                    || client.Completion.IsCompleted);
            }, TimeSpan.FromSeconds(200), "pgate client to reconnect by itself");
        }
        finally
        {
            traffic.Kill();
        }
        output.WriteLine($"pgate client --tun: back {clock.Elapsed.TotalSeconds:0.0} s after the restart began");
        Assert.True(now is { State: "connected" }, lab.Explain($"pgate client exited:\n{client.Output}"));

        var after = await lab.PingFromClientAsync(now!.VirtualIp!);
        Assert.True(after.AllReplied, lab.Explain($"no traffic through the new SA:\n{after.Command}"));
        Assert.Equal(clean, await KernelStateAsync(lab));
    }

    private static async Task KillGatewayAsync(InteropLab lab)
    {
        var pid = int.Parse((await File.ReadAllTextAsync(Path.Combine(lab.StateDir, "gw", "pgate.pid"))).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        using var gateway = Process.GetProcessById(pid);
        gateway.Kill();   // SIGKILL: no shutdown code runs
        await gateway.WaitForExitAsync();
    }
}
