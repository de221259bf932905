// kill -9 of `pgate gateway` during traffic, then a restart (issue 12 "Loss and faults"): the
// client's new SA comes up and carries traffic, and the restart leaves the gateway namespace as a
// clean start does — one TUN device, the same nftables tables and routes, nothing stale or doubled.
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
}
