using PostureGate.Interop.Tests.Lab;
using PostureGate.Interop.Tests.Swanctl;
using Xunit.Abstractions;
using static PostureGate.Interop.Tests.Lab.LabExpectations;

namespace PostureGate.Interop.Tests;

/// <summary>
/// HARNESS CHECK: strongSwan client against the strongSwan gateway, both inside this harness.
/// No PostureGate code runs here. These prove that the machine (root, namespaces, TUN,
/// strongSwan plugins) and the harness (topology, configs, fixture, teardown) work, and that
/// every client conn the pgate tests use means what they assume. When one of these fails, the
/// pgate interop results of the same run say nothing about pgate.
/// </summary>
public sealed class HarnessCheckTests(ITestOutputHelper output)
{
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
        await using var lab = await InteropLab.CreateWithStrongSwanGatewayAsync(output);
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
        await using var lab = await InteropLab.CreateWithStrongSwanGatewayAsync(output);

        var r = await lab.InitiateAsync("wrong-password");

        Assert.False(r.Succeeded, lab.Explain($"wrong password accepted:\n{r}"));
        Assert.Matches(AuthFailure(), r.Output);
        Assert.DoesNotContain(await lab.ListSasAsync(), s => s.IsEstablished);
        // The same gateway accepts the right password: the refusal was about the password.
        await lab.InitiateEstablishedAsync("dialup");
    }

    [SkippableFact]
    public async Task HarnessCheck_ExtraConn_WithAnUnofferedProposal_GetsNoProposalChosen()
    {
        await using var lab = await InteropLab.CreateWithStrongSwanGatewayAsync(output, new ClientOptions { ExtraSwanctlConf = UnofferedConf });

        var r = await lab.InitiateAsync(UnofferedConn);

        Assert.False(r.Succeeded, lab.Explain(r.ToString()));
        Assert.Contains(NoProposalChosen, r.Output);
    }

    [SkippableFact]
    public async Task HarnessCheck_SmallFragmentSize_SplitsIkeAuth_AndTheGatewayReassemblesIt()
    {
        await using var lab = await InteropLab.CreateWithStrongSwanGatewayAsync(output, new ClientOptions { FragmentSize = SmallFragmentSize });

        await lab.InitiateEstablishedAsync("dialup");

        Assert.True(FragmentsSent(lab.ClientLog()) >= 2, lab.Explain("client sent no IKE fragments"));
        Assert.Contains("reassembled fragmented IKE message", lab.LogTail(LabLog.GatewayCharon, 10_000));
    }

    [SkippableFact]
    public async Task HarnessCheck_RekeyConn_RekeysIkeAndChildSa_TunnelStaysUp()
    {
        await using var lab = await InteropLab.CreateWithStrongSwanGatewayAsync(output);
        await LabScenarios.LifetimeRekeysKeepTheTunnelAsync(lab);
    }

    [SkippableFact]
    public async Task HarnessCheck_TcpTransfer_WithChildRekeyMidway_ArrivesIntact()
    {
        await using var lab = await InteropLab.CreateWithStrongSwanGatewayAsync(output);
        await LabScenarios.ChildRekeyMidTransferLosesNothingAsync(lab);
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

    [SkippableFact]
    public async Task HarnessCheck_PgateStart_WaitsForUdp500_ReportsAnEarlyExit_AndStops()
    {
        // A stand-in for `dotnet pgate.dll gateway …`: with PGI_DOTNET=/bin/sh, lab.sh runs
        // `sh SCRIPT gateway --config … --control …` (works on a noexec /tmp, too).
        await using var lab = await InteropLab.CreateAsync(output);
        var script = Path.Combine(AppContext.BaseDirectory, "harness", "lab.sh");
        var listens = Path.Combine(lab.StateDir, "fake-pgate-listens.sh");
        var exits = Path.Combine(lab.StateDir, "fake-pgate-exits.sh");
        await File.WriteAllTextAsync(listens, "#!/bin/sh\necho \"fake pgate $*\"\nsleep 0.5\nexec nc -u -l 198.51.100.1 500\n");
        await File.WriteAllTextAsync(exits, "#!/bin/sh\necho 'fake pgate: config rejected' >&2\nexit 3\n");
        var config = Path.Combine(lab.StateDir, "fake.conf");
        await File.WriteAllTextAsync(config, "config system dns\nend\n");
        var env = new Dictionary<string, string> { ["PGI_BASE"] = Path.GetDirectoryName(lab.StateDir)!, ["PGI_DOTNET"] = "/bin/sh" };

        var failed = await LabProcess.RunAsync("bash", [script, "pgate-start", lab.RunId, config, exits], TimeSpan.FromSeconds(40), env);
        Assert.False(failed.Succeeded, failed.ToString());
        Assert.Contains("config rejected", failed.Output);

        var started = await LabProcess.RunAsync("bash", [script, "pgate-start", lab.RunId, config, listens], TimeSpan.FromSeconds(40), env);
        Assert.True(started.Succeeded, started.ToString());
        var bound = await lab.ExecInGatewayAsync("ss", "-Hulnp", "sport = :500");
        Assert.Contains("198.51.100.1:500", bound.StdOut);
        Assert.Contains($"gateway --config {config} --control {lab.PgateControlSocket}", lab.LogTail(LabLog.Pgate));

        var stopped = await LabProcess.RunAsync("bash", [script, "pgate-stop", lab.RunId], TimeSpan.FromSeconds(30), env);
        Assert.True(stopped.Succeeded, stopped.ToString());
        Assert.Empty((await lab.ExecInGatewayAsync("ss", "-Hulnp", "sport = :500")).StdOut);
    }

    private static string NewRunId() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));

    private static string OwnerPid(LabProcess p) => p.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
