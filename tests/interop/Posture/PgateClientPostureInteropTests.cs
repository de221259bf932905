using PostureGate.Interop.Tests.Lab;
using PostureGate.Interop.Tests.Pgate;
using Xunit.Abstractions;

namespace PostureGate.Interop.Tests.Posture;

/// <summary>
/// The FortiClient path of the posture gate through real processes: the device enrolls with the
/// lab's `pgate ems` (listening on 198.51.100.1, reachable from the client namespace) with an
/// invitation code, `pgate client connect --ems` registers over mutual TLS with that certificate,
/// announces its UID in FORTICLIENT_CONNECT, and `pgate gateway` decides by the tags the EMS
/// holds for that UID. The tag is set by the admin CLI before the client connects.
/// </summary>
public sealed class PgateClientPostureInteropTests(ITestOutputHelper output)
{
    private const string Tag = "lab_ok";
    private const string EndpointUid = "C0FFEE00C0FFEE00C0FFEE00C0FFEE00";

    // With --notifies-after-eap the client carries FORTICLIENT_CONNECT in the last IKE_AUTH, as
    // FortiClient 7.4.5 does (the seed's Example 2 logs it after "authentication succeeded"):
    // the gateway reads it from whichever IKE_AUTH request carries it.
    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FortiClientUid_WithTheTag_IsAdmitted_AndAuditedByThatUid(bool notifiesAfterEap)
    {
        await using var lab = await InteropLab.CreateAsync(output);
        var ems = await StartAsync(lab, tagged: true);
        using var debug = await lab.AttachPgateDebugAsync();

        var r = await lab.RunPgateClientOnceAsync(null, [.. EmsArgs(ems), .. notifiesAfterEap ? new[] { "--notifies-after-eap" } : []]);

        Assert.True(r.Succeeded, lab.Explain(r.ToString()));
        Assert.Contains($"registered with EMS {ems.SerialNumber} as {EndpointUid}", r.Output);
        Assert.Contains("address 192.0.2.200", r.Output);
        // EMS_ZTNA_TAGS_CHECK_SUCCESS is only sent when a token decided; here the EMS did, and the
        // audit line names the UID FORTICLIENT_CONNECT carried.
        var decision = Assert.Single(lab.PostureAuditLines("decision"));
        Assert.Contains($"\"uid\":\"{EndpointUid}\"", decision);
        Assert.Contains("\"outcome\":\"allow\"", decision);
        Assert.Contains("\"tag\":\"EMS1_ZTNA_lab_ok\"", decision);
        var list = await lab.PgateDiagnoseAsync("firewall", "dynamic", "list", "EMS1_ZTNA_lab_ok");
        Assert.Contains($"ADDR({InteropLab.ClientIp})", list.StdOut);
        // Where the notify travelled: before "authentication succeeded" (first IKE_AUTH) or after it (last).
        await lab.WaitForAsync(() => Task.FromResult(debug.Text.Contains("processing notify type FORTICLIENT_CONNECT", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30), "the FORTICLIENT_CONNECT debug line");
        var lines = debug.Text.Split('\n').Select(l => l.TrimEnd()).ToList();
        var notify = lines.FindIndex(l => l.EndsWith(": processing notify type FORTICLIENT_CONNECT", StringComparison.Ordinal));
        var authenticated = lines.FindIndex(l => l.EndsWith(": authentication succeeded", StringComparison.Ordinal));
        Assert.True(authenticated >= 0 && notifiesAfterEap == notify > authenticated, lab.Explain(debug.Text));
    }

    [SkippableFact]
    public async Task FortiClientUid_WithoutTheTag_IsRefused_WithTheZtnaFailureNotify()
    {
        await using var lab = await InteropLab.CreateAsync(output);
        var ems = await StartAsync(lab, tagged: false);

        var r = await lab.RunPgateClientOnceAsync(null, EmsArgs(ems));

        // 7: refused for posture, and told why (POSTURE_REASON, issue 13).
        Assert.Equal(7, r.ExitCode);
        Assert.Contains("connection failed", r.Output);
        Assert.Contains($"tunnel dialup admits devices with tag {Tag}; the EMS gives this device", r.Output);
        Assert.Matches("(?i)ztna", r.Output[r.Output.IndexOf("connection failed", StringComparison.Ordinal)..]);
        var list = await lab.PgateDiagnoseAsync("vpn", "ike", "gateway", "list");
        Assert.DoesNotContain("dialup_0", list.StdOut);
    }

    [SkippableFact]
    public async Task FortiClientSession_TagRemoved_GatewayDeletesTheTunnel_AndTheClientNotices()
    {
        await using var lab = await InteropLab.CreateAsync(output);
        var ems = await StartAsync(lab, tagged: true);
        using var client = lab.StartPgateClient(null, EmsArgs(ems));
        await lab.WaitForPgateClientConnectedAsync(client);

        await lab.SetEndpointTagAsync(ems, Tag, EndpointUid, present: false);
        // From the committed change (the CLI has exited) to the gateway's revocation: reported, not asserted.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await lab.WaitForAsync(() => Task.FromResult(lab.LogTail(LabLog.Pgate, int.MaxValue).Contains("posture: revoking", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10), "the gateway to revoke the tunnel");
        output.WriteLine($"tag removed at the EMS -> gateway revoking the tunnel: {clock.ElapsedMilliseconds} ms");

        await lab.WaitForAsync(() => Task.FromResult(client.Output.Contains("the gateway deleted the tunnel", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10), "pgate client to report that the gateway deleted the tunnel");
        output.WriteLine($"... -> pgate client told the tunnel is gone: {clock.ElapsedMilliseconds} ms");
        Assert.Contains("posture revoked", lab.LogTail(LabLog.Pgate, int.MaxValue));
    }

    /// <summary>Issue 10 finding 1, black-box: a caller without the device's certificate can neither
    /// register a UID nor move an enrolled endpoint's address, nor fetch its token.</summary>
    [SkippableFact]
    public async Task WithoutTheDeviceCertificate_TheEmsClientApiRefusesToRegisterOrOverwrite()
    {
        await using var lab = await InteropLab.CreateAsync(output);
        var ems = await StartAsync(lab, tagged: true);
        const string Stranger = "BADC0DE0BADC0DE0BADC0DE0BADC0DE0";

        var register = await lab.ExecInClientAsync("curl", "-sS", "-k", "--max-time", "10", "-o", "/dev/null", "-w", "%{http_code}",
            "-H", "Content-Type: application/json", "--data", $"{{\"uid\":\"{Stranger}\",\"ip\":\"192.0.2.66\"}}", $"{ems.Url}/api/v1/endpoints");
        var overwrite = await lab.ExecInClientAsync("curl", "-sS", "-k", "--max-time", "10", "-o", "/dev/null", "-w", "%{http_code}", "-X", "PUT",
            "-H", "Content-Type: application/json", "--data", "{\"ip\":\"192.0.2.66\"}", $"{ems.Url}/api/v1/endpoints/{EndpointUid}/facts");
        var token = await lab.ExecInClientAsync("curl", "-sS", "-k", "--max-time", "10", "-o", "/dev/null", "-w", "%{http_code}",
            $"{ems.Url}/api/v1/endpoints/{EndpointUid}/token");

        Assert.Equal(("401", "401", "401"), (register.StdOut.Trim(), overwrite.StdOut.Trim(), token.StdOut.Trim()));
        var list = await LabProcess.RunAsync(InteropLab.DotnetHost(), [InteropLab.PgateDll(), "ems", "endpoint", "list", "--data", ems.DataDirectory], TimeSpan.FromSeconds(30));
        Assert.DoesNotContain(Stranger, list.StdOut);
        Assert.Contains(InteropLab.ClientIp, list.StdOut);
        Assert.DoesNotContain("192.0.2.66", list.StdOut);
    }

    /// <summary>`pgate ems endpoint revoke`: the connector hears it on the change stream and the gateway
    /// deletes the device's tunnel; the device's certificate opens nothing at the EMS any more.</summary>
    [SkippableFact]
    public async Task FortiClientSession_EndpointRevoked_GatewayDeletesTheTunnel()
    {
        await using var lab = await InteropLab.CreateAsync(output);
        var ems = await StartAsync(lab, tagged: true);
        using var client = lab.StartPgateClient(null, EmsArgs(ems));
        await lab.WaitForPgateClientConnectedAsync(client);

        await lab.RevokeEndpointAsync(ems, EndpointUid);

        await lab.WaitForAsync(() => Task.FromResult(client.Output.Contains("the gateway deleted the tunnel", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(15), "pgate client to report that the gateway deleted the tunnel");
        await lab.WaitForAsync(() => Task.FromResult(client.Output.Contains("was revoked at", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30), "pgate client to be told its certificate is revoked");
        var list = await lab.PgateDiagnoseAsync("vpn", "ike", "gateway", "list");
        Assert.DoesNotContain("dialup_0", list.StdOut);
    }

    private static string[] EmsArgs(LabEms ems) =>
        ["--ems", ems.Url, "--ems-fingerprint", ems.CertificateFingerprint, "--uid", EndpointUid, "--ip", InteropLab.ClientIp];

    private static async Task<LabEms> StartAsync(InteropLab lab, bool tagged)
    {
        var ems = await lab.StartEmsAsync(listenAddress: InteropLab.GatewayIp);
        await lab.RegisterEndpointAsync(ems, EndpointUid, InteropLab.ClientIp, host: "pgate-client");
        if (tagged)
        {
            await lab.SetEndpointTagAsync(ems, Tag, EndpointUid, present: true);
        }
        await lab.StartPgateGatewayAsync(new PgateLabConfig { Ems = ems, ZtnaTags = ["EMS1_ZTNA_lab_ok"] }.ToString());
        // The connector has synced (snapshot and signing keys) once `fctems status` says so.
        await lab.WaitForAsync(async () => (await lab.PgateDiagnoseAsync("endpoint", "fctems", "status")).StdOut.Contains("state: synced", StringComparison.Ordinal),
            TimeSpan.FromSeconds(15), "the fctems connector to sync");
        return ems;
    }
}
