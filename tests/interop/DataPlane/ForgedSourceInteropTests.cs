using System.Text.RegularExpressions;
using PostureGate.Interop.Tests.Lab;
using Xunit.Abstractions;

namespace PostureGate.Interop.Tests.DataPlane;

/// <summary>
/// Issue 4: a packet whose inner source is not the client's virtual IP must not reach the LAN;
/// `pgate gateway` drops it after decryption and counts it (`diagnose vpn tunnel list`,
/// drop: selector=N). strongSwan's client never sends such packets (its policy only tunnels
/// the VIP), so the sender is `pgate client --tun`, whose one SA takes every routed packet.
/// </summary>
public sealed class ForgedSourceInteropTests(ITestOutputHelper output)
{
    private const string ForgedSource = "192.0.2.99";

    [SkippableFact]
    public async Task ForgedInnerSource_IsDroppedAndCounted_WhileTheVirtualIpStillPasses()
    {
        await using var lab = await InteropLab.CreateWithPgateOnlyAsync(output);
        using var client = lab.StartPgateClient(extraArgs: "--tun");
        var status = await lab.WaitForPgateClientConnectedAsync(client);

        // A second address on the client, outside what the gateway leased it.
        var add = await lab.ExecInClientAsync("ip", "addr", "add", $"{ForgedSource}/32", "dev", "lo");
        Assert.True(add.Succeeded, lab.Explain(add.ToString()));
        var forged = await lab.PingFromClientAsync(ForgedSource, count: 3);
        Assert.Equal(0, forged.Received);

        var tunnels = await lab.PgateDiagnoseAsync("vpn", "tunnel", "list", "name", "dialup_0");
        Assert.True(tunnels.Succeeded, lab.Explain(tunnels.ToString()));
        var drops = Regex.Match(tunnels.StdOut, @"drop: selector=(\d+)");
        Assert.True(drops.Success && int.Parse(drops.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= forged.Transmitted,
            lab.Explain($"no selector drops counted for {forged.Transmitted} forged packets:\n{tunnels.StdOut}"));

        // The tunnel itself still carries the leased address.
        var ping = await lab.PingFromClientAsync(status.VirtualIp!);
        Assert.True(ping.AllReplied, lab.Explain(ping.Command.ToString()));
    }
}
