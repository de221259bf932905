using System.Net;
using System.Text.RegularExpressions;
using PostureGate.Interop.Tests.Lab;
using PostureGate.Interop.Tests.Swanctl;
using Xunit.Abstractions;

namespace PostureGate.Interop.Tests;

/// <summary>
/// HARNESS CHECK: strongSwan client against the strongSwan gateway, both inside this harness.
/// No PostureGate code runs here. These prove that the machine (root, namespaces, TUN,
/// strongSwan plugins) and the harness (topology, configs, fixture, teardown) work, and that
/// every client conn the pgate tests use means what they assume. When one of these fails, the
/// pgate interop results of the same run say nothing about pgate.
/// </summary>
public sealed partial class HarnessCheckTests(ITestOutputHelper output)
{
    private static readonly TimeSpan RekeyWait = TimeSpan.FromSeconds(25);

    [SkippableFact]
    public async Task HarnessCheck_StrongSwanPair_TunnelUp_VipFromPool_PingReachesLan_TeardownLeavesNoNamespace()
    {
        string runId, stateDir;
        await using (var lab = await InteropLab.CreateAsync(output))
        {
            runId = lab.RunId;
            stateDir = lab.StateDir;
            Assert.All(Enum.GetValues<LabNamespace>(), ns => Assert.True(NamespaceExists(lab.Namespace(ns)), lab.Namespace(ns)));
            await lab.StartStrongSwanGatewayAsync();
            await lab.StartClientAsync();

            // Without the tunnel the LAN is unreachable: no default route, no route to 203.0.113.0/24.
            var direct = await lab.PingFromClientAsync(InteropLab.ClientIp, count: 1);
            Assert.Equal(0, direct.Received);

            var sa = await lab.InitiateEstablishedAsync("dialup");
            var vip = Assert.Single(sa.LocalVips);
            Assert.True(InPool(vip), lab.Explain($"virtual IP {vip} outside 192.0.2.200-254"));
            Assert.Equal("gw.pg.example", sa.RemoteId);
            Assert.Equal(4500, sa.RemotePort);
            var child = Assert.Single(sa.Children);
            Assert.True(child.Encap, "kernel-libipsec only does ESP-in-UDP: the CHILD_SA must be UDP-encapsulated");
            Assert.Equal([$"{vip}/32"], child.LocalTs);
            Assert.Equal(["203.0.113.0/24"], child.RemoteTs);

            var ping = await lab.PingFromClientAsync(vip);
            Assert.True(ping.AllReplied, lab.Explain($"ping from the VIP through the tunnel:\n{ping.Command}"));

            // The replies came through the CHILD_SA, not around it.
            var after = Assert.Single(await lab.ListSasAsync("dialup")).Children.Single(c => c.IsInstalled);
            Assert.True(after.PacketsOut >= ping.Transmitted && after.PacketsIn >= ping.Received,
                lab.Explain($"CHILD_SA counters do not cover the ping: {after}"));

            // The gateway leased the same address to this client.
            var gw = Assert.Single(await lab.ListSasAsync(instance: CharonInstance.Gateway));
            Assert.Equal([vip], gw.RemoteVips);
            Assert.Contains("nameserver 203.0.113.53", await File.ReadAllTextAsync(Path.Combine(stateDir, "client", "resolv.conf")));
        }
        Assert.All("cgl", x => Assert.False(NamespaceExists($"pgi-{runId}-{x}"), $"pgi-{runId}-{x} survived teardown"));
        Assert.False(Directory.Exists(stateDir), $"{stateDir} survived teardown");
    }

    [SkippableFact]
    public async Task HarnessCheck_EveryProposalAndDhConn_NegotiatesWhatThePgateTestsExpect()
    {
        await using var lab = await StrongSwanPairAsync();
        foreach (var conn in ClientConns.Proposals.Concat(ClientConns.DhGroups))
        {
            var sa = await lab.InitiateEstablishedAsync(conn.Name);
            Assert.True(conn.IkeProposal == sa.Proposal, lab.Explain($"{conn.Name}: IKE {sa.Proposal}, expected {conn.IkeProposal}"));
            var child = sa.Children.Single(c => c.IsInstalled);
            Assert.True(conn.EspProposal == child.Proposal, lab.Explain($"{conn.Name}: ESP {child.Proposal}, expected {conn.EspProposal}"));
            var ping = await lab.PingFromClientAsync(sa.LocalVips.Single(), count: 1);
            Assert.True(ping.AllReplied, lab.Explain($"{conn.Name}: ping through the tunnel:\n{ping.Command}"));
            Assert.True((await lab.TerminateAsync(conn.Name)).Succeeded, lab.Explain($"terminate {conn.Name}"));
        }
    }

    [SkippableFact]
    public async Task HarnessCheck_WrongPasswordConn_IsRefusedByTheGateway()
    {
        await using var lab = await StrongSwanPairAsync();

        var r = await lab.InitiateAsync("wrong-password");

        Assert.False(r.Succeeded, lab.Explain($"wrong password accepted:\n{r}"));
        Assert.Matches(AuthFailure(), r.Output);
        Assert.DoesNotContain(await lab.ListSasAsync(), s => s.IsEstablished);
        // The same gateway accepts the right password: the refusal was about the password.
        await lab.InitiateEstablishedAsync("dialup");
    }

    [SkippableFact]
    public async Task HarnessCheck_SmallFragmentSize_SplitsIkeAuth_AndTheGatewayReassemblesIt()
    {
        await using var lab = await StrongSwanPairAsync(new ClientOptions { FragmentSize = SmallFragmentSize });

        await lab.InitiateEstablishedAsync("dialup");

        var split = Splitting().Match(lab.ClientLog());
        Assert.True(split.Success && int.Parse(split.Groups[1].Value) >= 2, lab.Explain("client sent no IKE fragments"));
        Assert.Contains("reassembled fragmented IKE message", lab.LogTail(LabLog.GatewayCharon, 10_000));
    }

    [SkippableFact]
    public async Task HarnessCheck_RekeyConn_RekeysIkeAndChildSa_TunnelStaysUp()
    {
        await using var lab = await StrongSwanPairAsync();
        var first = await lab.InitiateEstablishedAsync("rekey");
        var firstChild = first.Children.Single(c => c.IsInstalled);

        var sas = await lab.WaitForSasAsync(
            l => l.Any(s => s.IsEstablished && s.InitiatorSpi != first.InitiatorSpi &&
                            s.Children.Any(c => c.IsInstalled && c.SpiIn != firstChild.SpiIn)),
            RekeyWait, "IKE_SA and CHILD_SA of conn rekey to be rekeyed", "rekey");

        var now = Assert.Single(sas, s => s.IsEstablished);
        Assert.Equal(first.LocalVips, now.LocalVips);
        var ping = await lab.PingFromClientAsync(now.LocalVips.Single());
        Assert.True(ping.AllReplied, lab.Explain($"ping after rekey:\n{ping.Command}"));
    }

    [SkippableFact]
    public async Task HarnessCheck_TcpTransfer_WithChildRekeyMidway_ArrivesIntact()
    {
        await using var lab = await StrongSwanPairAsync();
        var sa = await lab.InitiateEstablishedAsync("dialup");
        var vip = sa.LocalVips.Single();
        var oldSpi = sa.Children.Single(c => c.IsInstalled).SpiIn;

        var result = await lab.TransferToLanAsync(vip, TransferBytes, midway: async () =>
        {
            Assert.True((await lab.RekeyChildAsync()).Succeeded, lab.Explain("swanctl --rekey"));
            await lab.WaitForSasAsync(l => l.Any(s => s.Children.Any(c => c.IsInstalled && c.SpiIn != oldSpi)),
                RekeyWait, "the rekeyed CHILD_SA", "dialup");
        });

        Assert.True(result.Intact, lab.Explain(result.ToString()));
    }

    [SkippableFact]
    public async Task HarnessCheck_Sweep_RemovesOnlyRunsWhoseOwnerIsGone_DownIsIdempotent()
    {
        LabRequirements.EnsureOrSkip();
        var script = Path.Combine(AppContext.BaseDirectory, "harness", "lab.sh");
        var stateBase = Directory.CreateTempSubdirectory("pgi-sweep-").FullName;
        var owner = LabProcess.Start("sleep", ["60"], TimeSpan.FromSeconds(90));
        var env = new Dictionary<string, string> { ["PGI_BASE"] = stateBase };
        var dead = NewRunId();
        var alive = NewRunId();
        try
        {
            var up = await LabProcess.RunAsync("bash", [script, "up", dead], TimeSpan.FromSeconds(30),
                new Dictionary<string, string>(env) { ["PGI_OWNER_PID"] = OwnerPid(owner) });
            Assert.True(up.Succeeded, up.ToString());
            up = await LabProcess.RunAsync("bash", [script, "up", alive], TimeSpan.FromSeconds(30),
                new Dictionary<string, string>(env) { ["PGI_OWNER_PID"] = Environment.ProcessId.ToString() });
            Assert.True(up.Succeeded, up.ToString());

            var sweep = await LabProcess.RunAsync("bash", [script, "sweep"], TimeSpan.FromSeconds(30), env);
            Assert.True(sweep.Succeeded, sweep.ToString());
            Assert.True(NamespaceExists($"pgi-{dead}-g"), "swept a run whose owner is alive");

            owner.Kill();
            await owner.Completion;
            sweep = await LabProcess.RunAsync("bash", [script, "sweep"], TimeSpan.FromSeconds(30), env);
            Assert.True(sweep.Succeeded, sweep.ToString());
            Assert.All("cgl", x => Assert.False(NamespaceExists($"pgi-{dead}-{x}"), $"pgi-{dead}-{x} not swept"));
            Assert.False(Directory.Exists(Path.Combine(stateBase, dead)));
            Assert.All("cgl", x => Assert.True(NamespaceExists($"pgi-{alive}-{x}"), $"pgi-{alive}-{x} swept although its owner lives"));

            for (var i = 0; i < 2; i++)
            {
                var down = await LabProcess.RunAsync("bash", [script, "down", alive], TimeSpan.FromSeconds(30), env);
                Assert.True(down.Succeeded, $"down #{i + 1}: {down}");
            }
            Assert.All("cgl", x => Assert.False(NamespaceExists($"pgi-{alive}-{x}")));
        }
        finally
        {
            owner.Kill();
            foreach (var run in new[] { dead, alive })
            {
                await LabProcess.RunAsync("bash", [script, "down", run], TimeSpan.FromSeconds(30), env);
            }
            Directory.Delete(stateBase, recursive: true);
        }
    }

    /// <summary>A lab with the strongSwan gateway and client running; disposed again if either
    /// fails to start.</summary>
    private async Task<InteropLab> StrongSwanPairAsync(ClientOptions? client = null)
    {
        var lab = await InteropLab.CreateAsync(output);
        try
        {
            await lab.StartStrongSwanGatewayAsync();
            await lab.StartClientAsync(client);
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    internal const int SmallFragmentSize = 280;
    internal const int TransferBytes = 4 * 1024 * 1024;

    internal static bool NamespaceExists(string name) => File.Exists($"/run/netns/{name}");

    internal static bool InPool(string address)
    {
        var b = IPAddress.Parse(address).GetAddressBytes();
        return b is [192, 0, 2, >= 200 and <= 254];
    }

    private static string NewRunId() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));

    private static string OwnerPid(LabProcess p) => p.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    // What a refused EAP-MSCHAPv2 login looks like from the client: the MSCHAPv2 failure packet,
    // an EAP-Failure, or an AUTHENTICATION_FAILED notify, depending on who gives up first.
    [GeneratedRegex("ERROR_AUTHENTICATION_FAILURE|EAP_MSCHAPV2 method failed|received EAP_FAILURE|AUTHENTICATION_FAILED|AUTH_FAILED")]
    internal static partial Regex AuthFailure();

    [GeneratedRegex(@"splitting IKE message \(\d+ bytes\) into (\d+) fragments")]
    internal static partial Regex Splitting();
}
