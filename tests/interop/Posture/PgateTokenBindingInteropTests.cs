// Token binding (RFC 7800 §3.1 cnf, RFC 8705 §3.1 x5t#S256; issue 10) through real processes: a bound ZTNA token
// copied to another device is refused; the device that proves the bound certificate in IKE is admitted by it —
// with the EMS stopped, and with the EMS up but slower than the gateway's decision budget.
using System.Net;
using System.Text.Json;
using PostureGate.Interop.Tests.Lab;
using PostureGate.Interop.Tests.Pgate;
using Xunit.Abstractions;

namespace PostureGate.Interop.Tests.Posture;

/// <summary>
/// Device A enrolls with `pgate ems` (token enabled, A tagged) and fetches its token over mutual TLS with its device
/// certificate, so the EMS binds it (cnf) to that certificate. Then the EMS dies and the gateway's cached tags expire:
/// the token alone decides. Device B, with valid VPN credentials but no cert round (an EAP-only phase1), presents A's
/// token under A's UID — refused for the binding. A itself, proving its certificate in round 1 (RFC 4739), is admitted
/// by the same token. The "slow EMS" variants keep the EMS up: the gateway's connector reaches it through a TCP proxy in
/// the gateway namespace that, once the connector has synced, holds every chunk for 60 s; with `pull-tags disable`
/// each decision is a live lookup that outlasts the posture decision budget (10 s), so the token decides there too
/// (the seed: the token serves when the EMS is "unreachable or slow"), and A's phase1 has `ztna-uid-proof` and
/// `ztna-token-binding` (what `pgate up` runs).
/// </summary>
public sealed class PgateTokenBindingInteropTests(ITestOutputHelper output)
{
    private const string UidA = "A11CE0000B1D0000C0FFEE0000000A0A";
    private const string Tag = "lab_ok";
    private const string DynamicAddress = "EMS1_ZTNA_lab_ok";
    private const string TooSlow = "too slow, no answer within the posture decision budget (10 s)";
    private static readonly IPEndPoint ProxyListen = new(IPAddress.Loopback, 18013);

    [SkippableFact]
    public async Task DeviceB_PresentingDeviceAsBoundToken_OnAnEapOnlyPhase1_IsRefusedForTheBinding()
    {
        await using var lab = await InteropLab.CreateAsync(output);
        var ems = await StartEmsWithDeviceAAsync(lab);
        await lab.StartPgateGatewayAsync(Gateway(ems).ToString());
        var tokenFile = await FetchBoundTokenThenStopTheEmsAsync(lab, ems);

        // B: alice's password, A's UID and A's token, no device certificate.
        var r = await lab.RunPgateClientOnceAsync(null, "--uid", UidA, "--ip", InteropLab.ClientIp, "--ztna-token-file", tokenFile);

        await AssertRefusedForTheBindingAsync(lab, r);
    }

    [SkippableFact]
    public async Task DeviceA_ProvingItsCertificate_IsAdmittedByItsBoundToken()
    {
        await using var lab = await InteropLab.CreateAsync(output);
        var ems = await StartEmsWithDeviceAAsync(lab);
        var (gatewayConfig, caFile) = WithCertificates(lab, ems, Gateway(ems));
        await lab.StartPgateGatewayAsync(gatewayConfig.ToString());
        var tokenFile = await FetchBoundTokenThenStopTheEmsAsync(lab, ems);

        var r = await lab.RunPgateClientOnceAsync(null,
            "--uid", UidA, "--ip", InteropLab.ClientIp, "--ztna-token-file", tokenFile, "--device-cert", "--gateway-ca", caFile);

        Assert.True(r.Succeeded, lab.Explain(r.ToString()));
        AssertAdmittedByTheToken(lab);
    }

    [SkippableFact]
    public async Task SlowEms_DeviceB_PresentingDeviceAsBoundToken_IsRefusedForTheBinding()
    {
        await using var lab = await InteropLab.CreateAsync(output);
        var ems = await StartEmsWithDeviceAAsync(lab);
        await using var proxy = SlowProxy(lab);
        await lab.StartPgateGatewayAsync(SlowGateway(ems).ToString());
        var tokenFile = await FetchBoundTokenAsync(lab, ems);
        proxy.Delay = TimeSpan.FromSeconds(60);

        // B: alice's password, A's UID and A's token, no device certificate (an EAP-only phase1).
        var r = await lab.RunPgateClientOnceAsync(null, "--uid", UidA, "--ip", InteropLab.ClientIp, "--ztna-token-file", tokenFile);

        // The binding named in the audit line beside the EMS's slowness.
        var decision = await AssertRefusedForTheBindingAsync(lab, r);
        Assert.Contains(TooSlow, decision);
    }

    [SkippableFact]
    public async Task SlowEms_DeviceA_ProvingItsCertificate_IsAdmittedByItsBoundToken()
    {
        await using var lab = await InteropLab.CreateAsync(output);
        var ems = await StartEmsWithDeviceAAsync(lab);
        await using var proxy = SlowProxy(lab);
        var (gatewayConfig, caFile) = WithCertificates(lab, ems, SlowGateway(ems) with { ZtnaUidProof = true, ZtnaTokenBinding = true });
        await lab.StartPgateGatewayAsync(gatewayConfig.ToString());
        var tokenFile = await FetchBoundTokenAsync(lab, ems);
        proxy.Delay = TimeSpan.FromSeconds(60);

        var r = await lab.RunPgateClientOnceAsync(null,
            "--uid", UidA, "--ip", InteropLab.ClientIp, "--ztna-token-file", tokenFile, "--device-cert", "--gateway-ca", caFile);

        Assert.True(r.Succeeded, lab.Explain(r.ToString()));
        var decision = AssertAdmittedByTheToken(lab);
        Assert.Contains(TooSlow, decision);
    }

    private static async Task<LabEms> StartEmsWithDeviceAAsync(InteropLab lab)
    {
        var ems = await lab.StartEmsAsync(listenAddress: InteropLab.GatewayIp);
        var enable = await LabProcess.RunAsync(InteropLab.DotnetHost(),
            [InteropLab.PgateDll(), "ems", "token", "settings", "--enable", "--data", ems.DataDirectory], TimeSpan.FromSeconds(60));
        Assert.True(enable.Succeeded, lab.Explain(enable.ToString()));
        await lab.RegisterEndpointAsync(ems, UidA, InteropLab.ClientIp, host: "device-a");
        await lab.SetEndpointTagAsync(ems, Tag, UidA, present: true);
        return ems;
    }

    // The EMS answers fast or not at all (call-timeout 1 s); its cached tags stop counting after 10 s.
    private static PgateLabConfig Gateway(LabEms ems) =>
        new() { Ems = ems, ZtnaTags = [DynamicAddress], EmsCallTimeout = 1, EmsOutOfSyncThreshold = 10 };

    // The connector goes through the proxy; every decision is a live lookup (pull-tags disable) that may wait 60 s
    // (call-timeout), so the 10 s decision budget is what ends it.
    private static PgateLabConfig SlowGateway(LabEms ems) =>
        new() { Ems = ems, EmsVia = ProxyListen, EmsPullTags = false, EmsCallTimeout = 60, ZtnaTags = [DynamicAddress] };

    private static DelayingTcpProxy SlowProxy(InteropLab lab) =>
        DelayingTcpProxy.Start(lab.Namespace(LabNamespace.Gateway), ProxyListen, new IPEndPoint(IPAddress.Parse(InteropLab.GatewayIp), InteropLab.EmsPort));

    /// <summary><paramref name="config"/> with a gateway certificate and a device round on the EMS's endpoint CA; the CA file for --gateway-ca.</summary>
    private static (PgateLabConfig Config, string GatewayCaFile) WithCertificates(InteropLab lab, LabEms ems, PgateLabConfig config)
    {
        var gwCa = LabCertificates.Ca("PG Gateway CA");
        var caFile = Path.Combine(lab.StateDir, "gw-ca.pem");
        File.WriteAllText(caFile, gwCa.Cert.ExportCertificatePem());
        return (config with
        {
            // pgate client checks the certificate names the address it dials (RFC 4945 §3.1).
            GatewayCertificate = LabCertificates.Issue(gwCa, "CN=gw.pg.example", dns: "gw.pg.example", ip: IPAddress.Parse(InteropLab.GatewayIp)),
            DeviceCaPem = File.ReadAllText(Path.Combine(ems.DataDirectory, "endpoint-ca.crt")),
        }, caFile);
    }

    /// <summary>Exit 7 (refused for posture), the audit line naming the binding, no IKE SA left; returns the audit line.</summary>
    private static async Task<string> AssertRefusedForTheBindingAsync(InteropLab lab, CommandResult r)
    {
        Assert.True(r.ExitCode == 7, lab.Explain($"the gateway admitted another device with A's bound token:\n{r}"));
        var decision = lab.PostureAuditLines("decision")[^1];
        Assert.Contains("\"outcome\":\"deny\"", decision);
        Assert.Contains("token refused: BindingMismatch", decision);
        var gateways = await lab.PgateDiagnoseAsync("vpn", "ike", "gateway", "list");
        Assert.DoesNotContain("dialup_0", gateways.StdOut);
        return decision;
    }

    /// <summary>The last decision admitted A by the token's tag; returns its audit line.</summary>
    private static string AssertAdmittedByTheToken(InteropLab lab)
    {
        var decision = lab.PostureAuditLines("decision")[^1];
        Assert.Contains("\"outcome\":\"allow\"", decision);
        Assert.Contains("\"source\":\"token\"", decision);
        Assert.Contains($"\"uid\":\"{UidA}\"", decision);
        Assert.Contains($"\"tag\":\"{DynamicAddress}\"", decision);
        return decision;
    }

    /// <summary>
    /// A fetches its token over mutual TLS with its device key and certificate (the EMS binds it to that
    /// certificate); then the EMS is killed and the gateway's cached tags expire, so only the token can decide.
    /// </summary>
    private static async Task<string> FetchBoundTokenThenStopTheEmsAsync(InteropLab lab, LabEms ems)
    {
        var file = await FetchBoundTokenAsync(lab, ems);
        await lab.KillEmsAsync(ems);
        await lab.WaitForAsync(async () => (await lab.PgateDiagnoseAsync("endpoint", "fctems", "status")).StdOut.Contains("cached tags expired", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60), "the connector to lose the EMS and expire its cache (out-of-sync-threshold 10 s)");
        return file;
    }

    /// <summary>
    /// Once the connector has synced (the EMS's signing key pinned), A fetches its token from the EMS directly over
    /// mutual TLS with its device key and certificate, so the EMS binds it to that certificate.
    /// </summary>
    private static async Task<string> FetchBoundTokenAsync(InteropLab lab, LabEms ems)
    {
        await lab.WaitForAsync(async () => (await lab.PgateDiagnoseAsync("endpoint", "fctems", "status")).StdOut.Contains("state: synced", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), "the fctems connector to sync (its signing key pinned)");
        var fetch = await lab.ExecInGatewayAsync("curl", "-sS", "-k", "--max-time", "20",
            "--cert", Path.Combine(lab.PgateDeviceDir, UidA + ".crt"), "--key", Path.Combine(lab.PgateDeviceDir, UidA + ".key"),
            $"{ems.Url}/api/v1/endpoints/{UidA}/token");
        Assert.True(fetch.Succeeded, lab.Explain(fetch.ToString()));
        var token = JsonDocument.Parse(fetch.StdOut).RootElement.GetProperty("token").GetString()!;
        var payload = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(token.Split('.')[1])).RootElement;
        Assert.True(payload.TryGetProperty("cnf", out _), lab.Explain($"the EMS did not bind the token:\n{payload}"));
        var file = Path.Combine(lab.StateDir, "token-a.jwt");
        await File.WriteAllTextAsync(file, token);
        return file;
    }
}
