using System.Text.RegularExpressions;
using PostureGate.Interop.Tests.Lab;
using Xunit.Abstractions;

namespace PostureGate.Interop.Tests.Client;

/// <summary>
/// `pgate client connect` (PostureGate's FortiClient role) in the client namespace (issue 6):
/// against the strongSwan reference gateway (harness/conf/gw.swanctl.conf.in: PSK
/// gw.pg.example, EAP-MSCHAPv2 users, pool 192.0.2.200-254), judged by what strongSwan itself
/// reports, and against `pgate gateway`. Control plane only: the tunnel is up when both ends say so.
/// </summary>
public sealed partial class PgateClientInteropTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task Once_AgainstStrongSwanGateway_GetsTheFirstPoolAddress_AndDeletesOnExit()
    {
        await using var lab = await InteropLab.CreateWithStrongSwanGatewayOnlyAsync(output);

        var r = await lab.RunPgateClientOnceAsync();

        Assert.True(r.Succeeded, lab.Explain(r.ToString()));
        Assert.Matches(ConnectedWithFirstAddress(), r.Output);
        var gwLog = GatewayCharonLog(lab);
        // FortiClient's IDi: its own address as ID_IPV4_ADDR; the user is the EAP identity.
        Assert.Contains("IKE_SA dialup[1] established between 198.51.100.1[gw.pg.example]...198.51.100.2[198.51.100.2]", gwLog);
        Assert.Contains("CHILD_SA lan{1} established", gwLog);
        Assert.Contains("TS 203.0.113.0/24 === 192.0.2.200/32", gwLog);
        // --once says goodbye: strongSwan received the DELETE and holds no SA.
        Assert.Contains("received DELETE for IKE_SA dialup[1]", gwLog);
        Assert.Empty(await lab.ListSasAsync(instance: CharonInstance.Gateway));
    }

    [SkippableFact]
    public async Task Session_AgainstStrongSwanGateway_IsListedByStrongSwan_AndInTheStatusFile()
    {
        await using var lab = await InteropLab.CreateWithStrongSwanGatewayOnlyAsync(output);
        using var client = lab.StartPgateClient();

        var status = await lab.WaitForPgateClientConnectedAsync(client);

        Assert.Equal(InteropLab.FirstPoolAddress, status.VirtualIp);
        Assert.Equal(["203.0.113.53"], status.Dns);
        var sa = Assert.Single(await lab.ListSasAsync(instance: CharonInstance.Gateway));
        Assert.True(sa.IsEstablished, lab.Explain(sa.ToString()));
        Assert.Equal(("198.51.100.2", "alice"), (sa.RemoteId, sa.RemoteEapId));
        Assert.Equal([InteropLab.FirstPoolAddress], sa.RemoteVips);
        Assert.Equal(4500, sa.LocalPort);
        var child = Assert.Single(sa.Children);
        Assert.True(child.IsInstalled, lab.Explain(child.ToString()));
    }

    [SkippableFact]
    public async Task WrongPassword_AgainstStrongSwanGateway_FailsWithoutAnSa()
    {
        await using var lab = await InteropLab.CreateWithStrongSwanGatewayOnlyAsync(output);

        var r = await lab.RunPgateClientOnceAsync(new PgateClientOptions { User = "bob", Password = "not-bobs-password" });

        Assert.Equal(1, r.ExitCode);
        Assert.DoesNotMatch(ConnectedWithFirstAddress(), r.Output);
        Assert.DoesNotContain(await lab.ListSasAsync(instance: CharonInstance.Gateway), s => s.IsEstablished);
    }

    [SkippableFact]
    public async Task Once_AgainstPgateGateway_GetsAddressDnsAndSplitNetwork()
    {
        await using var lab = await InteropLab.CreateWithPgateOnlyAsync(output);

        var r = await lab.RunPgateClientOnceAsync();

        Assert.True(r.Succeeded, lab.Explain(r.ToString()));
        Assert.Matches(ConnectedWithFirstAddress(), r.Output);
        Assert.Contains("split 203.0.113.0/24", r.Output);
        var list = await lab.PgateDiagnoseAsync("vpn", "ike", "gateway", "list");
        Assert.True(list.Succeeded, lab.Explain(list.ToString()));
        Assert.DoesNotContain("dialup_0", list.StdOut);
    }

    [SkippableFact]
    public async Task Session_AgainstPgateGateway_IsInstanceDialup0_WithItsAddress()
    {
        await using var lab = await InteropLab.CreateWithPgateOnlyAsync(output);
        using var client = lab.StartPgateClient();

        var status = await lab.WaitForPgateClientConnectedAsync(client);

        Assert.Equal(InteropLab.FirstPoolAddress, status.VirtualIp);
        Assert.Contains("203.0.113.0/24", status.SplitNetworks);
        var list = await lab.PgateDiagnoseAsync("vpn", "ike", "gateway", "list");
        Assert.Matches(new Regex(@"(?m)^name: dialup_0\s*$"), list.StdOut);
        Assert.Matches(new Regex(@"(?m)^assigned IPv4 address: 192\.0\.2\.200\b"), list.StdOut);
    }

    private static string GatewayCharonLog(InteropLab lab) => lab.LogTail(LabLog.GatewayCharon, int.MaxValue);

    // ClientSession: "connected: INSTANCE, address A, DNS …, split …"
    [GeneratedRegex(@"connected: \S+, address 192\.0\.2\.200,")]
    private static partial Regex ConnectedWithFirstAddress();
}
