// Two real `pgate gateway` processes on loopback (own ports, own control sockets) sharing one
// PostgreSQL as a cluster (issue 16, "Gateways as a cluster"), with real `pgate client` processes:
// `list --cluster` on one node shows the other's session, `clear` on one node deletes a tunnel of
// the other, and a user reconnecting through the other node gets the address it had, not the
// lowest free one. The PostgreSQL cluster is the store tests' private one (fails, not skips,
// under PG_REQUIRE_NETNS=1); no namespaces, no root needed (control plane only).
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using PostureGate.Ems.Tests.Postgres;
using PostureGate.Interop.Tests.Lab;

namespace PostureGate.Interop.Tests.Pgate;

public sealed class GatewayClusterProcessTests(PostgresCluster cluster) : IClassFixture<PostgresCluster>, IDisposable
{
    private static readonly TimeSpan Ceiling = TimeSpan.FromSeconds(120);
    private const string CarolUid = "C0000000000000000000000000000001";
    private const string AliceUid = "A0000000000000000000000000000002";
    private readonly string _root = Directory.CreateTempSubdirectory("pgate-gw-cluster-").FullName;
    private readonly List<LabProcess> _processes = [];

    private sealed record Node(string Name, int IkePort, int NattPort, string Control, LabProcess Process);

    [SkippableFact]
    public async Task Two_gateways_share_the_fleet_list_a_remote_clear_and_the_users_address()
    {
        // Trust authentication ignores it; it is here to be looked for in every output.
        var database = cluster.NewDatabase() + ";Password=hunter2-never-shown";
        File.WriteAllText(Path.Combine(_root, "psk"), "cluster-psk");
        File.WriteAllText(Path.Combine(_root, "alice"), "alice-password");
        File.WriteAllText(Path.Combine(_root, "carol"), "carol-password");
        var a = await StartGatewayAsync("gw-a", database);
        var b = await StartGatewayAsync("gw-b", database);

        var twin = await LabProcess.RunAsync(InteropLab.DotnetHost(), GatewayArgs("gw-a", database, Config(FreePort(), FreePort()), Path.Combine(_root, "twin.sock")), Ceiling);
        Assert.False(twin.Succeeded);
        Assert.Contains("node name 'gw-a' is held by a live node", twin.Output);

        // carol stays connected through gw-a: the lowest address.
        var carol = StartClient(a, "carol", CarolUid, once: false);
        Assert.Equal("10.99.0.1", await AddressAsync(carol));
        // alice connects through gw-a and leaves: she had the next one.
        var aliceFirst = await LabProcess.RunAsync(InteropLab.DotnetHost(), ClientArgs(a, "alice", AliceUid, once: true), Ceiling);
        Assert.True(aliceFirst.Succeeded, aliceFirst.ToString());
        Assert.Equal("10.99.0.2", AddressIn(aliceFirst.Output));

        // gw-b lists the whole fleet, carol's tunnel on gw-a among it.
        var fleet = await WaitForAsync(b, ["vpn", "ike", "gateway", "list", "--cluster"], o => o.Contains("user: carol", StringComparison.Ordinal));
        Assert.Matches(@"(?m)^node gw-a 127\.0\.0\.1:\d+: 1 session\(s\)$", fleet);
        Assert.Matches(@"(?m)^node gw-b 127\.0\.0\.1:\d+: 0 session\(s\)$", fleet);
        Assert.Matches(@"(?m)^  name: dialup_0  phase1: dialup  user: carol  uid: \S+  vip: 10\.99\.0\.1  peer: 127\.0\.0\.1:\d+  created: \d+s ago$", fleet);

        // carol's client goes away without a word; gw-b deletes her tunnel on gw-a, freeing 10.99.0.1.
        carol.Kill();
        await carol.Completion;
        var clear = await DiagnoseAsync(b, ["vpn", "ike", "gateway", "clear", "name", "dialup_0"]);
        Assert.Contains("asked node gw-a to clear dialup_0", clear);
        await WaitForAsync(a, ["vpn", "ike", "gateway", "list"], o => !o.Contains("dialup_0", StringComparison.Ordinal));

        // alice through gw-b: her own address again, though 10.99.0.1 is the lowest free one now.
        var aliceAgain = await LabProcess.RunAsync(InteropLab.DotnetHost(), ClientArgs(b, "alice", AliceUid, once: true), Ceiling);
        Assert.True(aliceAgain.Succeeded, aliceAgain.ToString());
        Assert.Equal("10.99.0.2", AddressIn(aliceAgain.Output));

        foreach (var output in _processes.Select(p => p.OutputSoFar).Append(twin.Output))
            Assert.DoesNotContain("hunter2", output);
    }

    private async Task<Node> StartGatewayAsync(string name, string database)
    {
        int ike = FreePort(), natt = FreePort();
        var control = Path.Combine(_root, name + ".sock");
        var process = LabProcess.Start(InteropLab.DotnetHost(), GatewayArgs(name, database, Config(ike, natt), control), TimeSpan.FromMinutes(10));
        _processes.Add(process);
        using var ceiling = new CancellationTokenSource(Ceiling);
        while (!process.OutputSoFar.Contains("listening on", StringComparison.Ordinal))
        {
            if (process.Completion.IsCompleted)
                throw new Xunit.Sdk.XunitException($"pgate gateway {name} exited:\n{await process.Completion}");
            await Task.Delay(100, ceiling.Token);
        }
        return new Node(name, ike, natt, control, process);
    }

    private string[] GatewayArgs(string name, string database, string config, string control) =>
        [InteropLab.PgateDll(), "gateway", "--config", config, "--control", control, "--data-plane", "off", "--data", Path.Combine(_root, name + "-data"),
         "--cluster-db", database, "--node-name", name];

    private LabProcess StartClient(Node gateway, string user, string uid, bool once)
    {
        var process = LabProcess.Start(InteropLab.DotnetHost(), ClientArgs(gateway, user, uid, once), TimeSpan.FromMinutes(10));
        _processes.Add(process);
        return process;
    }

    private string[] ClientArgs(Node gateway, string user, string uid, bool once) =>
        [InteropLab.PgateDll(), "client", "connect", "--gateway", $"127.0.0.1:{gateway.IkePort}", "--natt-port", gateway.NattPort.ToString(),
         "--psk-file", Path.Combine(_root, "psk"), "--user", user, "--password-file", Path.Combine(_root, user), "--uid", uid,
         "--status-file", Path.Combine(_root, $"{user}-{gateway.Name}.json"), "--device-dir", Path.Combine(_root, "device-" + user),
         .. once ? new[] { "--once" } : []];

    private static async Task<string> AddressAsync(LabProcess client)
    {
        using var ceiling = new CancellationTokenSource(Ceiling);
        while (true)
        {
            if (AddressIn(client.OutputSoFar, required: false) is { } address)
                return address;
            if (client.Completion.IsCompleted)
                throw new Xunit.Sdk.XunitException($"pgate client exited:\n{await client.Completion}");
            await Task.Delay(100, ceiling.Token);
        }
    }

    private static string? AddressIn(string output, bool required = true) =>
        Regex.Match(output, @"connected: \S+, address (\S+),") is { Success: true } m ? m.Groups[1].Value
            : required ? throw new Xunit.Sdk.XunitException($"no 'connected: …, address …' in:\n{output}") : null;

    private static async Task<string> DiagnoseAsync(Node node, string[] words)
    {
        var result = await LabProcess.RunAsync(InteropLab.DotnetHost(), [InteropLab.PgateDll(), "diagnose", "--control", node.Control, .. words], Ceiling);
        Assert.True(result.Succeeded, result.ToString());
        return result.Output;
    }

    /// <summary>Asks until the answer satisfies <paramref name="done"/> (the registry and commands move within seconds).</summary>
    private static async Task<string> WaitForAsync(Node node, string[] words, Func<string, bool> done)
    {
        using var ceiling = new CancellationTokenSource(Ceiling);
        while (true)
        {
            var output = await DiagnoseAsync(node, words);
            if (done(output))
                return output;
            if (ceiling.IsCancellationRequested)
                throw new Xunit.Sdk.XunitException($"pgate diagnose {string.Join(' ', words)} never answered as expected; last:\n{output}");
            await Task.Delay(250);
        }
    }

    private string Config(int ike, int natt)
    {
        var path = Path.Combine(_root, $"gw-{ike}.conf");
        File.WriteAllText(path, $$"""
            config system settings
                set ike-port {{ike}}
                set ike-natt-port {{natt}}
            end
            config system interface
                edit "lo"
                    set ip 127.0.0.1 255.0.0.0
                next
            end
            config user local
                edit "alice"
                    set type password
                    set passwd "alice-password"
                next
                edit "carol"
                    set type password
                    set passwd "carol-password"
                next
            end
            config user group
                edit "vpn-users"
                    set member "alice" "carol"
                next
            end
            config vpn ipsec phase1-interface
                edit "dialup"
                    set type dynamic
                    set interface "lo"
                    set ike-version 2
                    set mode-cfg enable
                    set proposal aes128gcm-prfsha256
                    set dhgrp 19
                    set eap enable
                    set eap-identity send-request
                    set authusrgrp "vpn-users"
                    set ipv4-start-ip 10.99.0.1
                    set ipv4-end-ip 10.99.0.20
                    set psksecret "cluster-psk"
                next
            end
            config vpn ipsec phase2-interface
                edit "dialup"
                    set phase1name "dialup"
                    set proposal aes128gcm
                next
            end
            """);
        return path;
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public void Dispose()
    {
        foreach (var process in _processes)
            process.Kill();
        Task.WaitAll([.. _processes.Select(p => p.Completion)], TimeSpan.FromSeconds(30));
        Directory.Delete(_root, recursive: true);
    }
}
