using PostureGate.Interop.Tests.Lab;
using PostureGate.Interop.Tests.Pgate;
using Xunit.Abstractions;

namespace PostureGate.Interop.Tests.Posture;

/// <summary>
/// Tunnels the EMS admitted, when the `pgate ems` process is killed and stays dead past
/// out-of-sync-threshold (10 s, the least FortiOS allows): the gateway judges them again as it
/// would a new connection. `pgate client --ems` without a ZTNA token (the EMS has them off)
/// loses its tunnel; with ZTNA tokens enabled it keeps its own, now on the token.
/// </summary>
public sealed class PgateOutOfSyncInteropTests(ITestOutputHelper output)
{
    private const string Tag = "lab_ok";
    private const string DynamicAddress = "EMS1_ZTNA_lab_ok";
    private const string NoTokenUid = "0D15EA5E0D15EA5E0D15EA5E0D15EA5E";
    private const string PgateClientUid = "F8A6AFF3531843B4972CBDBEEEB30E3C";
    private const int Threshold = 10;
    private static readonly TimeSpan SyncWait = TimeSpan.FromSeconds(15);
    // The connector notices the dead EMS at once (its push stream breaks), then waits the threshold.
    private static readonly TimeSpan PastThreshold = TimeSpan.FromSeconds(Threshold + 30);

    [SkippableFact]
    public async Task PgateClientWithoutAToken_AdmittedByTheEms_EmsKilled_TunnelDeletedAfterTheThreshold()
    {
        await using var lab = await InteropLab.CreateAsync(output);
        var ems = await lab.StartEmsAsync(listenAddress: InteropLab.GatewayIp);
        await lab.RegisterEndpointAsync(ems, NoTokenUid, InteropLab.ClientIp, host: "pgate-client");
        await lab.SetEndpointTagAsync(ems, Tag, NoTokenUid, present: true);
        await lab.StartPgateGatewayAsync(new PgateLabConfig { Ems = ems, ZtnaTags = [DynamicAddress], EmsCallTimeout = 1, EmsOutOfSyncThreshold = Threshold }.ToString());
        await WaitForSyncAsync(lab, ems);
        using var debug = await lab.AttachPgateDebugAsync();
        using var client = lab.StartPgateClient(null, "--ems", ems.Url, "--ems-fingerprint", ems.CertificateFingerprint, "--uid", NoTokenUid, "--ip", InteropLab.ClientIp);
        await lab.WaitForPgateClientConnectedAsync(client);
        Assert.DoesNotContain("ZTNA token", client.Output);
        Assert.Contains("\"source\":\"ems\"", Assert.Single(lab.PostureAuditLines("decision")));

        await lab.KillEmsAsync(ems);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await lab.WaitForAsync(() => Task.FromResult(client.Output.Contains("the gateway deleted the tunnel", StringComparison.Ordinal)), PastThreshold,
            $"the gateway to delete the tunnel once the EMS has been away for out-of-sync-threshold ({Threshold} s)");
        output.WriteLine($"EMS killed -> tunnel deleted: {clock.ElapsedMilliseconds} ms (threshold {Threshold} s)");

        Assert.Contains("posture revoked: ZTNA token expired or missing and the EMS cannot vouch for the endpoint", debug.Text);
        var status = await lab.PgateDiagnoseAsync("endpoint", "fctems", "status");
        Assert.Contains("cached tags expired", status.StdOut);
        Assert.Contains("out of sync since: ", status.StdOut);
        var line = Assert.Single(lab.PostureAuditLines("revoked"));
        Assert.Contains("\"trigger\":\"EMS1 out of sync since ", line);
        Assert.Contains("\"source\":\"ems\"", line);
        Assert.Contains($"\"uid\":\"{NoTokenUid}\"", line);
    }

    [SkippableFact]
    public async Task PgateClientWithAZtnaToken_EmsKilled_TunnelKeptOnTheToken()
    {
        await using var lab = await InteropLab.CreateAsync(output);
        var ems = await lab.StartEmsAsync(listenAddress: InteropLab.GatewayIp);
        var enable = await LabProcess.RunAsync(InteropLab.DotnetHost(),
            [InteropLab.PgateDll(), "ems", "token", "settings", "--enable", "--data", ems.DataDirectory], TimeSpan.FromSeconds(60));
        Assert.True(enable.Succeeded, lab.Explain(enable.ToString()));
        await lab.RegisterEndpointAsync(ems, PgateClientUid, InteropLab.ClientIp, host: "DESKTOP-EMS-TAG-PH2");
        await lab.SetEndpointTagAsync(ems, Tag, PgateClientUid, present: true);
        await lab.StartPgateGatewayAsync(new PgateLabConfig { Ems = ems, ZtnaTags = [DynamicAddress], EmsCallTimeout = 1, EmsOutOfSyncThreshold = Threshold }.ToString());
        await WaitForSyncAsync(lab, ems);
        using var client = lab.StartPgateClient(null, "--ems", ems.Url, "--ems-fingerprint", ems.CertificateFingerprint, "--uid", PgateClientUid, "--ip", InteropLab.ClientIp);
        await lab.WaitForPgateClientConnectedAsync(client);
        Assert.Contains("\"source\":\"ems\"", Assert.Single(lab.PostureAuditLines("decision")));

        await lab.KillEmsAsync(ems);
        await lab.WaitForAsync(() => Task.FromResult(lab.PostureAuditLines("revalidated").Length > 0), PastThreshold,
            $"the gateway to re-judge the tunnel once the EMS has been away for out-of-sync-threshold ({Threshold} s)");

        var line = Assert.Single(lab.PostureAuditLines("revalidated"));
        Assert.Contains("\"source\":\"token\"", line);
        Assert.Contains($"\"tag\":\"{DynamicAddress}\"", line);
        Assert.Contains($"\"uid\":\"{PgateClientUid}\"", line);
        Assert.Contains("\"trigger\":\"EMS1 out of sync since ", line);
        Assert.Empty(lab.PostureAuditLines("revoked"));
        Assert.DoesNotContain("posture: revoking", lab.LogTail(LabLog.Pgate, int.MaxValue));
        var gateways = await lab.PgateDiagnoseAsync("vpn", "ike", "gateway", "list");
        Assert.Contains("dialup_0", gateways.StdOut);
        Assert.DoesNotContain("the gateway deleted the tunnel", client.Output);
    }

    private static Task WaitForSyncAsync(InteropLab lab, LabEms ems) =>
        lab.WaitForAsync(async () => (await lab.PgateDiagnoseAsync("firewall", "dynamic", "list", DynamicAddress)).StdOut.Contains($"ADDR({InteropLab.ClientIp})", StringComparison.Ordinal),
            SyncWait, $"the fctems connector to sync from EMS {ems.SerialNumber}");
}
