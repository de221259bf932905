using System.Text.RegularExpressions;
using PostureGate.Interop.Tests.Lab;
using PostureGate.Interop.Tests.Pgate;
using Xunit.Abstractions;
using static PostureGate.Interop.Tests.Lab.LabExpectations;

namespace PostureGate.Interop.Tests.Gateway;

/// <summary>
/// `pgate gateway` against strongSwan 5.9.8 as the dial-up client (the issue's IKE interop
/// list): every proposal and DH group, a wrong password, `diagnose vpn ike gateway list`,
/// lifetime rekeys, lease return, IKE fragmentation. The client conns are those of
/// harness/conf/client.swanctl.conf.in; HarnessCheckTests proves each of them against the
/// strongSwan gateway, so a failure here is pgate's.
/// </summary>
public sealed class PgateGatewayInteropTests(ITestOutputHelper output)
{
    [SkippableTheory]
    [MemberData(nameof(ClientConns.ProposalData), MemberType = typeof(ClientConns))]
    public async Task Proposal_IsNegotiated_AndTheClientGetsTheFirstPoolAddress(string connName)
    {
        var conn = ClientConns.Named(connName);
        await using var lab = await InteropLab.CreateWithPgateAsync(output);

        var sa = await lab.InitiateEstablishedAsync(conn.Name);

        Assert.True(conn.IkeProposal == sa.Proposal, lab.Explain($"IKE {sa.Proposal}, expected {conn.IkeProposal}"));
        Assert.True(conn.EspProposal == sa.Children.Single(c => c.IsInstalled).Proposal, lab.Explain($"ESP of {sa}"));
        Assert.Equal([InteropLab.FirstPoolAddress], sa.LocalVips);
        Assert.Equal("gw.pg.example", sa.RemoteId);
        Assert.Equal(4500, sa.RemotePort);
    }

    [SkippableTheory]
    [MemberData(nameof(ClientConns.DhGroupData), MemberType = typeof(ClientConns))]
    public async Task DhGroup_IsNegotiated(string connName)
    {
        var conn = ClientConns.Named(connName);
        await using var lab = await InteropLab.CreateWithPgateAsync(output);

        var sa = await lab.InitiateEstablishedAsync(conn.Name);

        Assert.True(conn.IkeProposal == sa.Proposal, lab.Explain($"IKE {sa.Proposal}, expected {conn.IkeProposal}"));
    }

    [SkippableFact]
    public async Task UnconfiguredProposal_IsRefused_WithNoProposalChosen()
    {
        await using var lab = await InteropLab.CreateWithPgateAsync(output, client: new ClientOptions { ExtraSwanctlConf = UnofferedConf });

        var r = await lab.InitiateAsync(UnofferedConn);

        Assert.False(r.Succeeded, lab.Explain($"pgate accepted aes192-sha512-modp3072, which its phase1 does not list:\n{r}"));
        Assert.Contains(NoProposalChosen, r.Output);
    }

    [SkippableFact]
    public async Task WrongPassword_IsRefused_AndNoTunnelExists()
    {
        await using var lab = await InteropLab.CreateWithPgateAsync(output);

        var r = await lab.InitiateAsync("wrong-password");

        Assert.False(r.Succeeded, lab.Explain($"pgate accepted bob with a wrong password:\n{r}"));
        Assert.Matches(AuthFailure(), r.Output);
        Assert.DoesNotContain(await lab.ListSasAsync(), s => s.IsEstablished);
        var diag = await lab.PgateDiagnoseAsync("vpn", "ike", "gateway", "list");
        Assert.True(diag.Succeeded, lab.Explain(diag.ToString()));
        Assert.DoesNotContain("dialup_0", diag.StdOut);
    }

    [SkippableFact]
    public async Task DiagnoseGatewayList_ShowsInstanceDialup0_WithItsAddress()
    {
        await using var lab = await InteropLab.CreateWithPgateAsync(output);
        await lab.InitiateEstablishedAsync("dialup");

        var diag = await lab.PgateDiagnoseAsync("vpn", "ike", "gateway", "list");

        Assert.True(diag.Succeeded, lab.Explain(diag.ToString()));
        // FortiOS prints "name: dialup_0" and "assigned IPv4 address: 10.212.134.200/255.255.255.255".
        Assert.Matches(new Regex(@"(?m)^name: dialup_0\s*$"), diag.StdOut);
        Assert.Matches(new Regex(@"(?m)^assigned IPv4 address: 192\.0\.2\.200\b"), diag.StdOut);
    }

    [SkippableFact]
    public async Task ShortLifetimes_RekeyIkeAndChildSa_WithoutLosingTheTunnel()
    {
        await using var lab = await InteropLab.CreateWithPgateAsync(output);
        await LabScenarios.LifetimeRekeysKeepTheTunnelAsync(lab);
    }

    [SkippableFact]
    public async Task Terminate_ReturnsTheLease_NextClientGetsTheSameFirstAddress()
    {
        await using var lab = await InteropLab.CreateWithPgateAsync(output);
        var first = await lab.InitiateEstablishedAsync("dialup");
        Assert.Equal([InteropLab.FirstPoolAddress], first.LocalVips);

        var t = await lab.TerminateAsync("dialup");
        Assert.True(t.Succeeded, lab.Explain(t.ToString()));
        Assert.Empty(await lab.ListSasAsync());

        var second = await lab.InitiateEstablishedAsync("dialup");
        Assert.True(second.InitiatorSpi != first.InitiatorSpi, "a new IKE_SA, not the old one");
        Assert.Equal([InteropLab.FirstPoolAddress], second.LocalVips);
    }

    [SkippableFact]
    public async Task SmallFragmentSize_FragmentedIkeAuth_IsReassembled_TunnelComesUp()
    {
        await using var lab = await InteropLab.CreateWithPgateAsync(output, client: new ClientOptions { FragmentSize = SmallFragmentSize });

        var sa = await lab.InitiateEstablishedAsync("dialup");

        Assert.True(FragmentsSent(lab.ClientLog()) >= 2, lab.Explain("the client sent no IKE fragments (did pgate send IKEV2_FRAGMENTATION_SUPPORTED, RFC 7383 section 2.3?)"));
        Assert.True(InPool(sa.LocalVips.Single()));
    }
}
