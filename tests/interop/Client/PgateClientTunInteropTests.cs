using PostureGate.Interop.Tests.Lab;
using Xunit.Abstractions;
using static PostureGate.Interop.Tests.Lab.LabExpectations;

namespace PostureGate.Interop.Tests.Client;

/// <summary>
/// `pgate client connect --tun`: the client's own data path (TUN device pgclient0 with the
/// virtual IP, a route per split network, ESP-in-UDP in userspace on the NAT-T socket) against
/// `pgate gateway` and against the strongSwan gateway. Traffic from the virtual IP must reach
/// the LAN host 203.0.113.10 and come back, through the CHILD_SA both ends report.
/// </summary>
public sealed class PgateClientTunInteropTests(ITestOutputHelper output)
{
    private const string Device = "pgclient0";

    [SkippableFact]
    public async Task Tun_AgainstPgateGateway_PingFromTheVirtualIp_ReachesTheLanHost()
    {
        await using var lab = await InteropLab.CreateWithPgateOnlyAsync(output);
        using var client = lab.StartPgateClient(extraArgs: "--tun");
        var status = await lab.WaitForPgateClientConnectedAsync(client);

        await AssertDeviceConfiguredAsync(lab, status.VirtualIp!);
        var ping = await lab.PingFromClientAsync(status.VirtualIp!);

        Assert.True(ping.AllReplied, lab.Explain($"ping {status.VirtualIp} -> {InteropLab.LanHostIp} through pgate client --tun:\n{ping.Command}"));
        var tunnels = await lab.PgateDiagnoseAsync("vpn", "tunnel", "list");
        Assert.True(tunnels.Succeeded, lab.Explain(tunnels.ToString()));
        Assert.Matches(@"rxp=[1-9]", tunnels.StdOut);
    }

    [SkippableFact]
    public async Task Tun_AgainstPgateGateway_TcpTransferOfSeveralMegabytes_ArrivesIntact()
    {
        await using var lab = await InteropLab.CreateWithPgateOnlyAsync(output);
        using var client = lab.StartPgateClient(extraArgs: "--tun");
        var status = await lab.WaitForPgateClientConnectedAsync(client);

        var result = await lab.TransferToLanAsync(status.VirtualIp!, TransferBytes);

        Assert.True(result.Intact, lab.Explain(result.ToString()));
    }

    [SkippableFact]
    public async Task Tun_AgainstStrongSwanGateway_PingFromTheVirtualIp_ReachesTheLanHost()
    {
        await using var lab = await InteropLab.CreateWithStrongSwanGatewayOnlyAsync(output);
        using var client = lab.StartPgateClient(extraArgs: "--tun");
        var status = await lab.WaitForPgateClientConnectedAsync(client);

        // strongSwan announces no split networks; the route comes from its TSr 203.0.113.0/24.
        await AssertDeviceConfiguredAsync(lab, status.VirtualIp!);
        var ping = await lab.PingFromClientAsync(status.VirtualIp!);

        Assert.True(ping.AllReplied, lab.Explain($"ping {status.VirtualIp} -> {InteropLab.LanHostIp} through pgate client --tun:\n{ping.Command}"));
        var child = Assert.Single(Assert.Single(await lab.ListSasAsync(instance: CharonInstance.Gateway)).Children);
        Assert.True(child.PacketsIn >= ping.Transmitted && child.PacketsOut >= ping.Received,
            lab.Explain($"strongSwan's CHILD_SA did not carry the ping: {child}"));
    }

    [SkippableFact]
    public async Task Tun_Sigterm_DeletesTheSaAtTheGateway_AndRemovesTheDevice()
    {
        await using var lab = await InteropLab.CreateWithStrongSwanGatewayOnlyAsync(output);
        using var client = lab.StartPgateClient(extraArgs: "--tun");
        await lab.WaitForPgateClientConnectedAsync(client);

        client.Terminate();
        var exited = await client.Completion;

        Assert.True(exited.ExitCode == 0 && exited.Output.Contains("disconnected", StringComparison.Ordinal), lab.Explain(exited.ToString()));
        Assert.Contains("received DELETE for IKE_SA dialup[1]", lab.LogTail(LabLog.GatewayCharon, int.MaxValue));
        Assert.Empty(await lab.ListSasAsync(instance: CharonInstance.Gateway));
        var link = await lab.ExecInClientAsync("ip", "link", "show", Device);
        Assert.False(link.Succeeded, lab.Explain($"{Device} outlived the client:\n{link}"));
    }

    private static async Task AssertDeviceConfiguredAsync(InteropLab lab, string vip)
    {
        var addr = await lab.ExecInClientAsync("ip", "-4", "-o", "addr", "show", "dev", Device);
        Assert.True(addr.Succeeded && addr.StdOut.Contains($"inet {vip}/32", StringComparison.Ordinal), lab.Explain(addr.ToString()));
        var route = await lab.ExecInClientAsync("ip", "route", "show", "203.0.113.0/24");
        Assert.True(route.StdOut.Contains($"dev {Device}", StringComparison.Ordinal) && route.StdOut.Contains($"src {vip}", StringComparison.Ordinal),
            lab.Explain(route.ToString()));
    }
}
