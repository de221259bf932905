using PostureGate.Interop.Tests.Lab;
using PostureGate.Interop.Tests.Pgate;
using Xunit.Abstractions;

namespace PostureGate.Interop.Tests.Posture;

/// <summary>
/// The seed's Example 2 through real processes: `pgate client` registers with `pgate ems`
/// (ZTNA token enabled) and connects; then the EMS process dies, the gateway's cached tags age
/// past out-of-sync-threshold, the tunnel is cleared, and the client reconnects: this time the
/// token it fetched while the EMS was up decides ("EMS ZTNA token tags check success").
/// </summary>
public sealed class PgateTokenFallbackInteropTests(ITestOutputHelper output)
{
    private const string EndpointUid = "F8A6AFF3531843B4972CBDBEEEB30E3C"; // the seed's Example 2 UID

    [SkippableFact]
    public async Task EmsDown_ClientReconnects_AdmittedByItsToken()
    {
        await using var lab = await InteropLab.CreateAsync(output);
        var ems = await lab.StartEmsAsync(listenAddress: InteropLab.GatewayIp);
        var enable = await LabProcess.RunAsync(InteropLab.DotnetHost(),
            [InteropLab.PgateDll(), "ems", "token", "settings", "--enable", "--data", ems.DataDirectory], TimeSpan.FromSeconds(60));
        Assert.True(enable.Succeeded, lab.Explain(enable.ToString()));
        await lab.RegisterEndpointAsync(ems, EndpointUid, InteropLab.ClientIp, host: "DESKTOP-EMS-TAG-PH2");
        await lab.SetEndpointTagAsync(ems, "a", EndpointUid, present: true);
        await lab.StartPgateGatewayAsync(new PgateLabConfig { Ems = ems, ZtnaTags = ["EMS1_ZTNA_a"], EmsCallTimeout = 1, EmsOutOfSyncThreshold = 10 }.ToString());
        await lab.WaitForAsync(async () => (await lab.PgateDiagnoseAsync("endpoint", "fctems", "status")).StdOut.Contains(ems.SerialNumber, StringComparison.Ordinal),
            TimeSpan.FromSeconds(15), "the fctems connector to sync");

        using var client = lab.StartPgateClient(null, "--ems", ems.Url, "--ems-fingerprint", ems.CertificateFingerprint, "--uid", EndpointUid, "--ip", InteropLab.ClientIp);
        await lab.WaitForPgateClientConnectedAsync(client);
        Assert.Contains("ZTNA token", client.Output);

        // The EMS goes away; its cached tags stop counting after out-of-sync-threshold.
        var kill = await lab.ExecInGatewayAsync("pkill", "-f", $"ems --data {ems.DataDirectory}");
        Assert.True(kill.Succeeded, lab.Explain(kill.ToString()));
        await lab.WaitForAsync(async () => (await lab.PgateDiagnoseAsync("endpoint", "fctems", "status")).StdOut.Contains("cached tags expired", StringComparison.Ordinal),
            TimeSpan.FromSeconds(40), "the connector to lose the EMS and expire its cache (out-of-sync-threshold 10 s, the least FortiOS allows)");

        var clear = await lab.PgateDiagnoseAsync("vpn", "ike", "gateway", "clear");
        Assert.True(clear.Succeeded, lab.Explain(clear.ToString()));
        await lab.WaitForAsync(() => Task.FromResult(CountOf(client.Output, "connected: ") >= 2),
            TimeSpan.FromSeconds(30), "pgate client to reconnect while the EMS is down");

        var log = lab.LogTail(LabLog.Pgate, int.MaxValue);
        var decisions = log.Split('\n').Where(l => l.Contains("\"event\":\"decision\"", StringComparison.Ordinal)).ToArray();
        Assert.True(decisions.Length >= 2, lab.Explain("expected two posture decisions"));
        Assert.Contains("\"source\":\"ems\"", decisions[0]);
        Assert.Contains("\"source\":\"token\"", decisions[^1]);
        Assert.Contains("\"outcome\":\"allow\"", decisions[^1]);
        Assert.Contains("\"tag\":\"EMS1_ZTNA_a\"", decisions[^1]);
    }

    private static int CountOf(string text, string what)
    {
        var n = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal))
            n++;
        return n;
    }
}
