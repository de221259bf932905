// `pgate gateway` reloaded with SIGHUP (docs/operations.md, systemd ExecReload): what start
// installed in the kernel follows the new configuration.
using PostureGate.Interop.Tests.Lab;
using PostureGate.Interop.Tests.Pgate;
using Xunit.Abstractions;

namespace PostureGate.Interop.Tests.Gateway;

/// <summary>
/// A pool changed by a reload: the new pool's prefixes are routed into the phase1's TUN device and
/// the old pool's routes are gone (before, routes were installed at start only, so clients leased
/// from a pool added by SIGHUP got no traffic back).
/// </summary>
public sealed class PgateReloadInteropTests(ITestOutputHelper output)
{
    // A ceiling, not a budget: the polls end as soon as the kernel or the log shows the change (CI runs loaded).
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public async Task Reload_WithAnotherPool_RoutesTheNewPool_AndDropsTheOld()
    {
        var config = new PgateLabConfig();
        await using var lab = await InteropLab.CreateWithPgateOnlyAsync(output, config);
        // 192.0.2.200-254 starts as .200/29 .208/28 .224/28 .240/29 .248/30 .252/31 .254/32.
        Assert.True(await RoutedAsync(lab, "192.0.2.200/29", expected: true), lab.Explain("the start-up pool has no route"));

        await lab.ReloadPgateGatewayAsync((config with { PoolStart = "192.0.2.64", PoolEnd = "192.0.2.95" }).ToString());

        Assert.True(await RoutedAsync(lab, "192.0.2.64/27", expected: true), lab.Explain("the pool added by the reload got no route"));
        Assert.True(await RoutedAsync(lab, "192.0.2.200/29", expected: false), lab.Explain("the pool dropped by the reload kept its route"));
    }

    /// <summary>
    /// SIGHUP with a configuration that does not load during traffic (issue 12 "Loss and faults"): the
    /// running configuration and the tunnel stay, and the refusal is one line naming the file, beside
    /// the file:line:col of each error.
    /// </summary>
    [SkippableFact]
    public async Task Reload_WithABrokenConfiguration_KeepsTheRunningOne_AndTheTunnel()
    {
        await using var lab = await InteropLab.CreateWithPgateAsync(output);
        var sa = await lab.InitiateEstablishedAsync("dialup");
        var vip = sa.LocalVips.Single();

        await lab.ReloadPgateGatewayAsync(new PgateLabConfig().ToString() + "config vpn ipsec phase1-interface\n    edit \"dialup\"\n        set no-such-option 1\n");
        await lab.WaitForAsync(() => Task.FromResult(lab.LogTail(LabLog.Pgate, 200).Contains("reload refused", StringComparison.Ordinal)),
            Limit, "pgate logged no refusal of the broken configuration");

        var log = lab.LogTail(LabLog.Pgate, 200);
        Assert.Single(log.Split('\n'), l => l.Contains("reload refused", StringComparison.Ordinal));
        Assert.Contains("pgate.conf:", log, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", log, StringComparison.Ordinal); // no stack trace
        var ping = await lab.PingFromClientAsync(vip);
        Assert.True(ping.AllReplied, lab.Explain($"the tunnel stopped carrying traffic after the refused reload:\n{ping.Command}"));
        Assert.Single(await lab.ListSasAsync("dialup"));
    }

    // Polls `ip route show PREFIX` in the gateway namespace until the route via the TUN device is (or is not) there.
    private static async Task<bool> RoutedAsync(InteropLab lab, string prefix, bool expected)
    {
        var until = DateTime.UtcNow + Limit;
        while (true)
        {
            var r = await lab.ExecInGatewayAsync("ip", "-4", "route", "show", prefix);
            var routed = r.Succeeded && r.StdOut.Contains($"dev {PgateLabConfig.TunnelName}", StringComparison.Ordinal);
            if (routed == expected)
            {
                return true;
            }
            if (DateTime.UtcNow > until)
            {
                return false;
            }
            await Task.Delay(200);
        }
    }
}
