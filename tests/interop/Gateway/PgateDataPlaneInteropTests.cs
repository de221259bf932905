using PostureGate.Interop.Tests.Lab;
using PostureGate.Interop.Tests.Pgate;
using Xunit.Abstractions;
using static PostureGate.Interop.Tests.Lab.LabExpectations;

namespace PostureGate.Interop.Tests.Gateway;

/// <summary>
/// pgate's userspace ESP data plane with a strongSwan client (issue 4): traffic from the virtual
/// IP through ESP-in-UDP to the LAN host 203.0.113.10 and back, per ESP proposal; a TCP
/// transfer checked byte for byte at the far end; the firewall policy; a CHILD_SA rekey while
/// a transfer is running.
/// </summary>
public sealed class PgateDataPlaneInteropTests(ITestOutputHelper output)
{
    [SkippableTheory]
    [MemberData(nameof(ClientConns.ProposalData), MemberType = typeof(ClientConns))]
    public async Task Ping_FromVip_ReachesLanHost_ThroughTheChildSa(string connName)
    {
        await using var lab = await InteropLab.CreateWithPgateAsync(output);
        var sa = await lab.InitiateEstablishedAsync(connName);
        var vip = sa.LocalVips.Single();

        var ping = await lab.PingFromClientAsync(vip);

        Assert.True(ping.AllReplied, lab.Explain($"{connName}: ping {vip} -> {InteropLab.LanHostIp}:\n{ping.Command}"));
        var child = (await lab.ListSasAsync(connName)).Single().Children.Single(c => c.IsInstalled);
        Assert.True(child.PacketsOut >= ping.Transmitted && child.PacketsIn >= ping.Received,
            lab.Explain($"the replies did not come through the CHILD_SA: {child}"));
    }

    [SkippableTheory]
    [MemberData(nameof(ClientConns.ProposalData), MemberType = typeof(ClientConns))]
    public async Task TcpTransfer_OfSeveralMegabytes_ArrivesIntact(string connName)
    {
        await using var lab = await InteropLab.CreateWithPgateAsync(output);
        var sa = await lab.InitiateEstablishedAsync(connName);

        var result = await lab.TransferToLanAsync(sa.LocalVips.Single(), TransferBytes);

        Assert.True(result.Intact, lab.Explain(result.ToString()));
        var child = (await lab.ListSasAsync(connName)).Single().Children.Single(c => c.IsInstalled);
        Assert.True(child.BytesOut >= TransferBytes, lab.Explain($"the bytes did not go through the CHILD_SA: {child}"));
    }

    [SkippableFact]
    public async Task DenyPolicy_TunnelComesUp_ButNoTrafficReachesTheLan()
    {
        await using var lab = await InteropLab.CreateWithPgateAsync(output, new PgateLabConfig { PolicyAction = "deny" });
        var sa = await lab.InitiateEstablishedAsync("dialup");
        var vip = sa.LocalVips.Single();

        var ping = await lab.PingFromClientAsync(vip);
        var transfer = await lab.TransferToLanAsync(vip, 64 * 1024, connectTimeoutSeconds: 3);

        Assert.True(ping.Received == 0, lab.Explain($"a deny policy let the ping through:\n{ping.Command}"));
        Assert.True(transfer.ReceivedBytes == 0, lab.Explain($"a deny policy let TCP through: {transfer}"));
        // The client did send: the gateway dropped it after decryption, not the tunnel before it.
        var child = (await lab.ListSasAsync("dialup")).Single().Children.Single(c => c.IsInstalled);
        Assert.True(child.PacketsOut >= ping.Transmitted, lab.Explain($"nothing entered the tunnel: {child}"));
    }

    [SkippableFact]
    public async Task ChildSaRekey_MidTransfer_LosesNothing()
    {
        await using var lab = await InteropLab.CreateWithPgateAsync(output);
        await LabScenarios.ChildRekeyMidTransferLosesNothingAsync(lab);
    }
}
