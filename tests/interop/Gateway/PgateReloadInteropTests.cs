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
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

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
