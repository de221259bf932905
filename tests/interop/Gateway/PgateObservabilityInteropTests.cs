// Issue 15: what operators watch a running gateway with, checked through real processes.
// --metrics: Prometheus's text format scraped over HTTP after a strongSwan client's tunnel and
// ping; --wireshark-keys and `diagnose vpn ike keys --wireshark DIR`: the key tables pgate writes
// let an independent implementation (Wireshark's dissectors, via tshark) decrypt the captured
// IKE_AUTH exchange and the ESP.
using PostureGate.Interop.Tests.Lab;
using PostureGate.Interop.Tests.Pgate;
using Xunit.Abstractions;

namespace PostureGate.Interop.Tests.Gateway;

public sealed class PgateObservabilityInteropTests(ITestOutputHelper output)
{
    private const string MetricsListen = InteropLab.GatewayLanIp + ":9464";
    private const string MetricsUrl = "http://" + MetricsListen + "/metrics";

    [SkippableFact]
    public async Task Metrics_AfterATunnelAndAPing_CountTheSaAndTheEspPackets()
    {
        LabRequirements.EnsureToolOrSkip("curl", "curl");
        await using var lab = await InteropLab.CreateAsync(output);
        await lab.StartPgateGatewayAsync(new PgateLabConfig().ToString(), "--metrics", MetricsListen);
        await lab.StartClientAsync();

        var before = await ScrapeAsync(lab);
        Assert.Equal(0, before.Sum("pgate_ike_sa_established_total"));

        var sa = await lab.InitiateEstablishedAsync("dialup");
        var ping = await lab.PingFromClientAsync(sa.LocalVips.Single());
        Assert.True(ping.AllReplied, lab.Explain($"ping through the tunnel:\n{ping.Command}"));

        var after = await ScrapeAsync(lab);
        var group = ("tunnel_group", PgateLabConfig.TunnelName);
        Assert.Equal(1, after.Sum("pgate_ike_sa_established_total", ("phase1", PgateLabConfig.TunnelName)));
        Assert.Equal(1, after.Sum("pgate_ike_sa_active"));
        Assert.Equal(0, after.Sum("pgate_ike_sa_half_open"));
        Assert.Equal(1, after.Sum("pgate_ike_child_sa_installed_total", ("rekey", "false")));
        Assert.True(after.Sum("pgate_esp_packets_total", group, ("direction", "in")) >= ping.Transmitted, lab.Explain("ESP packets in"));
        Assert.True(after.Sum("pgate_esp_packets_total", group, ("direction", "out")) >= ping.Received, lab.Explain("ESP packets out"));
        // Inner bytes: at least the ping's ICMP echo requests (84 octets each with the IPv4 header).
        Assert.True(after.Sum("pgate_esp_bytes_total", group, ("direction", "in")) >= 84 * ping.Transmitted, lab.Explain("ESP bytes in"));
        Assert.Equal(0, after.Sum("pgate_esp_drops_total", group, ("reason", "replay")));
        Assert.Equal(0, after.Sum("pgate_esp_drops_total", group, ("reason", "integrity")));
    }

    [SkippableFact]
    public async Task WiresharkKeys_LetTsharkDecryptIkeAuthAndTheInnerPing()
    {
        await using var lab = await InteropLab.CreateAsync(output);
        var keys = Path.Combine(lab.StateDir, "wireshark-keys");
        var (pcap, vip, ping) = await CaptureATunnelAsync(lab, "--wireshark-keys", keys);
        await AssertTsharkDecryptsAsync(lab, pcap, keys, vip, ping);
    }

    // `diagnose vpn ike keys --wireshark DIR` (issue 15's words): a gateway started without
    // --wireshark-keys hands the keys of the SAs it has now, and they decrypt a capture taken before.
    [SkippableFact]
    public async Task DiagnoseVpnIkeKeys_WritesTheRunningSasTables_ThatLetTsharkDecrypt()
    {
        await using var lab = await InteropLab.CreateAsync(output);
        var keys = Path.Combine(lab.StateDir, "diagnose-keys");
        var (pcap, vip, ping) = await CaptureATunnelAsync(lab);

        var r = await lab.PgateDiagnoseAsync("vpn", "ike", "keys", "--wireshark", keys);
        Assert.True(r.Succeeded, lab.Explain($"diagnose vpn ike keys:\n{r}"));
        Assert.Contains("wrote 1 IKE SA(s)", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("1 CHILD_SA(s)", r.StdOut, StringComparison.Ordinal);
        // The keys went to the files only, not to the terminal.
        var table = File.ReadAllText(Path.Combine(keys, "ikev2_decryption_table"));
        Assert.DoesNotContain(table.Split(',')[2], r.Output, StringComparison.Ordinal);
        await AssertTsharkDecryptsAsync(lab, pcap, keys, vip, ping);

        // Without --wireshark the words are refused: keys are never printed.
        var bare = await lab.PgateDiagnoseAsync("vpn", "ike", "keys");
        Assert.Equal(2, bare.ExitCode);
        Assert.Contains("needs --wireshark DIR", bare.Output, StringComparison.Ordinal);
    }

    /// <summary>pgate gateway (with <paramref name="gatewayArgs"/>), a capture on its outside, a strongSwan
    /// tunnel and a ping through it; returns the capture once it holds every ESP packet of the ping.</summary>
    private static async Task<(string Pcap, string Vip, PingResult Ping)> CaptureATunnelAsync(InteropLab lab, params string[] gatewayArgs)
    {
        LabRequirements.EnsureToolOrSkip("tshark", "tshark");
        LabRequirements.EnsureToolOrSkip("dumpcap", "tshark");
        var pcap = Path.Combine(lab.StateDir, "gateway.pcapng");
        await lab.StartPgateGatewayAsync(new PgateLabConfig().ToString(), gatewayArgs);
        var capture = await lab.StartCaptureAsync(LabNamespace.Gateway, "pgg0", pcap);
        await lab.StartClientAsync();
        var sa = await lab.InitiateEstablishedAsync("dialup");
        var vip = sa.LocalVips.Single();
        var ping = await lab.PingFromClientAsync(vip);
        // Requests and replies, all ESP-in-UDP (RFC 3948) on the NAT-T port.
        var captured = await lab.StopCaptureAfterAsync(capture, pcap, "esp", 2 * ping.Transmitted);
        Assert.True(ping.AllReplied, lab.Explain($"ping through the tunnel:\n{ping.Command}"));
        Assert.True(File.Exists(pcap), lab.Explain($"no capture:\n{captured}"));
        return (pcap, vip, ping);
    }

    /// <summary>The tables in <paramref name="keys"/> are 0600 and let tshark read the EAP exchange and the
    /// CP reply inside IKE_AUTH and the inner echo requests inside ESP; without them it reads none.</summary>
    private static async Task AssertTsharkDecryptsAsync(InteropLab lab, string pcap, string keys, string vip, PingResult ping)
    {
        foreach (var table in new[] { "ikev2_decryption_table", "esp_sa" })
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(keys, table)));
        }

        // Without the tables the encrypted payloads stay opaque: what follows is the keys' doing.
        var empty = Directory.CreateTempSubdirectory("pgi-wireshark-none-").FullName;
        try
        {
            Assert.Empty(Lines(await InteropLab.TsharkAsync(pcap, empty, "-o", "esp.enable_encryption_decode:TRUE", "-Y", "eap", "-T", "fields", "-e", "frame.number")));
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }

        // RFC 7296 §2.16: the EAP exchange inside IKE_AUTH (Request, Response … Success).
        var eap = Lines(await InteropLab.TsharkAsync(pcap, keys, "-Y", "eap", "-T", "fields", "-e", "eap.code"));
        Assert.True(eap.Contains("1") && eap.Contains("2") && eap.Contains("3"),
            lab.Explain($"tshark did not decode the EAP exchange with {keys}: [{string.Join(",", eap)}]\n{File.ReadAllText(Path.Combine(keys, "ikev2_decryption_table"))}"));
        // §3.15: the CP payload's CFG_REPLY (type 2) with the virtual IP.
        var cp = Lines(await InteropLab.TsharkAsync(pcap, keys, "-Y", "isakmp.cfg.type == 2", "-T", "fields", "-e", "frame.number"));
        Assert.NotEmpty(cp);

        // RFC 4303: the inner ICMP echo requests from the virtual IP, decrypted out of ESP-in-UDP.
        var inner = Lines(await InteropLab.TsharkAsync(pcap, keys, "-o", "esp.enable_encryption_decode:TRUE",
            "-Y", $"esp && icmp.type == 8 && ip.src == {vip}", "-T", "fields", "-e", "frame.number"));
        if (inner.Count < ping.Transmitted)
        {
            var all = await InteropLab.TsharkAsync(pcap, keys, "-o", "esp.enable_encryption_decode:TRUE", "-Y", "esp",
                "-T", "fields", "-e", "frame.number", "-e", "esp.spi", "-e", "esp.sequence", "-e", "ip.src", "-e", "icmp.type");
            Assert.Fail(lab.Explain($"tshark decrypted {inner.Count} of {ping.Transmitted} echo requests with\n" +
                $"{File.ReadAllText(Path.Combine(keys, "esp_sa"))}\nESP frames:\n{all.StdOut}"));
        }
    }

    private static async Task<IReadOnlyList<PrometheusSample>> ScrapeAsync(InteropLab lab)
    {
        var r = await lab.ExecInGatewayAsync("curl", "-sS", "--fail", MetricsUrl);
        Assert.True(r.Succeeded, lab.Explain($"scraping {MetricsUrl}:\n{r}"));
        Assert.Contains("# TYPE pgate_ike_sa_active gauge", r.StdOut, StringComparison.Ordinal);
        return PrometheusText.Parse(r.StdOut);
    }

    private static List<string> Lines(CommandResult r)
    {
        Assert.True(r.Succeeded, r.ToString());
        return [.. r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
    }
}
