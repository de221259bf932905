// IKE and ESP through a lossy link (issue 12 "Loss and faults"): the strongSwan client and `pgate
// client` reach `pgate gateway` through harness/udp-impair.py, a userspace relay that drops,
// duplicates, delays and reorders datagrams both ways (this kernel has no sch_netem), with the
// issue's impairment: 20 % loss, 100 ms delay, 10 % reordering, 5 % duplication. RFC 7296 §2.1
// retransmission must get the SA up, and TCP through the tunnel must arrive intact (256 KiB here;
// harness/loss-transfer.sh moves 20 MB). The relay is a NAT to the gateway (another source port),
// so the SA also floats to 4500 (§2.23). When the relay stops forwarding, the gateway's DPD (§2.4)
// must find the dead peer in the time its configuration gives.
using System.Diagnostics;
using System.Globalization;
using PostureGate.Interop.Tests.Lab;
using PostureGate.Interop.Tests.Pgate;
using Xunit.Abstractions;

namespace PostureGate.Interop.Tests.Gateway;

public sealed class PgateLossInteropTests(ITestOutputHelper output)
{
    private const string RelayAddress = "198.51.100.3";
    private const string RelayConn = "relay";

    /// <summary>The issue's impairment, per datagram and direction.</summary>
    private const double Loss = 0.20, Duplication = 0.05, Reordering = 0.10;

    private const int DelayMs = 100;

    private const string RelayConf = $$"""
        connections {
            {{RelayConn}} : connections.dialup {
                remote_addrs = {{RelayAddress}}
            }
        }
        """;

    /// <summary>Gives the gateway namespace the relay's address and starts the relay in front of 198.51.100.1.</summary>
    private static async Task<LabProcess> StartRelayAsync(InteropLab lab, double loss, double duplication, double reordering, int delayMs)
    {
        var add = await lab.ExecInGatewayAsync("ip", "addr", "add", RelayAddress + "/32", "dev", "pgg0");
        Assert.True(add.Succeeded, lab.Explain(add.ToString()));
        static string P(double v) => v.ToString(CultureInfo.InvariantCulture);
        return LabProcess.Start("ip",
            ["netns", "exec", lab.Namespace(LabNamespace.Gateway), "python3", Path.Combine(AppContext.BaseDirectory, "harness", "udp-impair.py"),
             RelayAddress, "198.51.100.1", "--loss", P(loss), "--dup", P(duplication), "--reorder", P(reordering),
             "--delay-ms", delayMs.ToString(CultureInfo.InvariantCulture)],
            TimeSpan.FromMinutes(8));
    }

    [SkippableFact]
    public async Task StrongSwan_ConnectsThroughTheIssuesImpairment_AndTcpArrivesIntact()
    {
        // charon's own retransmission schedule (5 tries), not the lab's shortened one: an untouched client.
        await using var lab = await InteropLab.CreateWithPgateAsync(output, client: new ClientOptions { ExtraSwanctlConf = RelayConf, RetransmitTries = 5 });
        var relay = await StartRelayAsync(lab, Loss, Duplication, Reordering, DelayMs);
        try
        {
            var clock = Stopwatch.StartNew();
            // 5 tries of 2 s × 1.4^n give up after ~35 s per exchange.
            var up = await lab.InitiateAsync(RelayConn, timeoutSeconds: 170);
            output.WriteLine($"strongSwan, 20 % loss, 100 ms: SA up after {clock.Elapsed.TotalSeconds:0.0} s");
            Assert.True(up.Succeeded, lab.Explain($"no SA through the impairment:\n{up}\nrelay: {relay.OutputSoFar}"));
            var sa = (await lab.ListSasAsync(RelayConn)).Single(s => s.IsEstablished);

            clock.Restart();
            var transfer = await lab.TransferToLanAsync(sa.LocalVips.Single(), 256 * 1024, connectTimeoutSeconds: 60);
            output.WriteLine($"strongSwan, 20 % loss, 100 ms: 256 KiB in {clock.Elapsed.TotalSeconds:0.0} s");
            Assert.True(transfer.Intact, lab.Explain($"TCP through the impairment: {transfer}"));
        }
        finally
        {
            relay.Kill();
        }
    }

    [SkippableFact]
    public async Task PgateClient_ConnectsThroughTheIssuesImpairment()
    {
        await using var lab = await InteropLab.CreateWithPgateAsync(output);
        var relay = await StartRelayAsync(lab, Loss, Duplication, Reordering, DelayMs);
        try
        {
            var clock = Stopwatch.StartNew();
            var r = await lab.RunPgateClientOnceAsync(new PgateClientOptions { Gateway = RelayAddress });
            output.WriteLine($"pgate client, 20 % loss, 100 ms: done after {clock.Elapsed.TotalSeconds:0.0} s");
            Assert.True(r.Succeeded, lab.Explain($"pgate client through the impairment:\n{r}"));
        }
        finally
        {
            relay.Kill();
        }
    }

    /// <summary>
    /// `dpd on-idle`: a probe when nothing arrived for dpd-retryinterval (checked every interval), then
    /// dpd-retrycount retransmissions an interval apart and one more interval for the last answer: the SA goes
    /// between (count + 2) and (count + 3) intervals after the peer fell silent — never before.
    /// </summary>
    [SkippableFact]
    public async Task WhenTheRelayStopsForwarding_GatewayDpdDeletesTheSa_InTheConfiguredTime()
    {
        const int interval = 4, count = 2;
        var config = new PgateLabConfig { DpdOnIdleInterval = interval, DpdRetryCount = count };
        await using var lab = await InteropLab.CreateWithPgateAsync(output, config, new ClientOptions { ExtraSwanctlConf = RelayConf });
        var relay = await StartRelayAsync(lab, 0, 0, 0, 0);
        try
        {
            var up = await lab.InitiateAsync(RelayConn);
            Assert.True(up.Succeeded, lab.Explain($"no SA through the relay:\n{up}"));
            Assert.Contains("dialup_0", (await lab.PgateDiagnoseAsync("vpn", "ike", "gateway", "list")).StdOut, StringComparison.Ordinal);

            var kill = await LabProcess.RunAsync("kill", ["-USR1", relay.ProcessId.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10));
            Assert.True(kill.Succeeded, kill.ToString());
            var clock = Stopwatch.StartNew();
            var earliest = TimeSpan.FromSeconds((count + 2) * interval);
            await lab.WaitForAsync(async () => !(await lab.PgateDiagnoseAsync("vpn", "ike", "gateway", "list")).StdOut.Contains("dialup_0", StringComparison.Ordinal),
                earliest + TimeSpan.FromSeconds(interval + 60), "the gateway's DPD to delete the silent peer's SA");
            var detected = clock.Elapsed;
            output.WriteLine($"dpd on-idle, retryinterval {interval} s, retrycount {count}: dead peer deleted after {detected.TotalSeconds:0.0} s " +
                $"(configured window {earliest.TotalSeconds:0}-{(count + 3) * interval} s)");
            // Timers never fire early: an SA gone before the window was deleted by something other than DPD.
            Assert.True(detected >= earliest - TimeSpan.FromSeconds(1), $"deleted after {detected.TotalSeconds:0.0} s, before DPD could have:\n{lab.LogTail(LabLog.Pgate)}");
            Assert.Contains("dpd timeout", lab.LogTail(LabLog.Pgate, 400), StringComparison.Ordinal);
        }
        finally
        {
            relay.Kill();
        }
    }
}
