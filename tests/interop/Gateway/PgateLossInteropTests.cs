// IKE and ESP through a lossy link (issue 12 "Loss and faults"): the strongSwan client reaches
// `pgate gateway` through harness/udp-impair.py, a userspace relay that drops, duplicates, delays
// and reorders datagrams both ways (this kernel has no sch_netem). RFC 7296 §2.1 retransmission
// must get the SA up, and TCP through the tunnel must arrive intact. The relay is a NAT to the
// gateway (another source port), so the SA also floats to 4500 (§2.23).
using System.Diagnostics;
using PostureGate.Interop.Tests.Lab;
using Xunit.Abstractions;

namespace PostureGate.Interop.Tests.Gateway;

public sealed class PgateLossInteropTests(ITestOutputHelper output)
{
    private const string RelayAddress = "198.51.100.3";
    private const string RelayConn = "relay";

    private const string RelayConf = $$"""
        connections {
            {{RelayConn}} : connections.dialup {
                remote_addrs = {{RelayAddress}}
            }
        }
        """;

    /// <summary>Gives the gateway namespace the relay's address and starts the relay in front of 198.51.100.1.</summary>
    private static async Task<LabProcess> StartRelayAsync(InteropLab lab, int lossPercent)
    {
        var add = await lab.ExecInGatewayAsync("ip", "addr", "add", RelayAddress + "/32", "dev", "pgg0");
        Assert.True(add.Succeeded, lab.Explain(add.ToString()));
        return LabProcess.Start("ip",
            ["netns", "exec", lab.Namespace(LabNamespace.Gateway), "python3", Path.Combine(AppContext.BaseDirectory, "harness", "udp-impair.py"),
             RelayAddress, "198.51.100.1", "--loss", (lossPercent / 100.0).ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--dup", "0.05", "--reorder", "0.1", "--delay-ms", "20"],
            TimeSpan.FromMinutes(6));
    }

    [SkippableTheory]
    [InlineData(10)]
    [InlineData(20)]
    public async Task StrongSwan_ConnectsThroughLossDuplicationReorderingAndDelay_AndTcpArrivesIntact(int lossPercent)
    {
        await using var lab = await InteropLab.CreateWithPgateAsync(output, client: new ClientOptions { ExtraSwanctlConf = RelayConf });
        var relay = await StartRelayAsync(lab, lossPercent);
        try
        {
            var clock = Stopwatch.StartNew();
            // strongSwan's retransmissions (4 s, ×1.8, 5 tries) give up after ~165 s per exchange.
            var up = await lab.InitiateAsync(RelayConn, timeoutSeconds: 170);
            output.WriteLine($"{lossPercent} % loss: SA up after {clock.Elapsed.TotalSeconds:0.0} s");
            Assert.True(up.Succeeded, lab.Explain($"no SA through {lossPercent} % loss:\n{up}\nrelay: {relay.OutputSoFar}"));
            var sa = (await lab.ListSasAsync(RelayConn)).Single(s => s.IsEstablished);

            clock.Restart();
            var transfer = await lab.TransferToLanAsync(sa.LocalVips.Single(), 256 * 1024, connectTimeoutSeconds: 30);
            output.WriteLine($"{lossPercent} % loss: 256 KiB in {clock.Elapsed.TotalSeconds:0.0} s");
            Assert.True(transfer.Intact, lab.Explain($"TCP through {lossPercent} % loss: {transfer}"));
        }
        finally
        {
            relay.Kill();
        }
    }

    [SkippableFact]
    public async Task PgateClient_ConnectsThrough20PercentLoss()
    {
        await using var lab = await InteropLab.CreateWithPgateAsync(output);
        var relay = await StartRelayAsync(lab, 20);
        try
        {
            var clock = Stopwatch.StartNew();
            var r = await lab.RunPgateClientOnceAsync(new PgateClientOptions { Gateway = RelayAddress });
            output.WriteLine($"pgate client, 20 % loss: done after {clock.Elapsed.TotalSeconds:0.0} s");
            Assert.True(r.Succeeded, lab.Explain($"pgate client through 20 % loss:\n{r}"));
        }
        finally
        {
            relay.Kill();
        }
    }
}
