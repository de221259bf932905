using System.Net;
using PostureGate.Interop.Tests.Lab;
using PostureGate.Interop.Tests.Pgate;
using Xunit.Abstractions;

namespace PostureGate.Interop.Tests.Posture;

/// <summary>
/// A slow EMS (issue 11; the seed: the token serves when the EMS is "unreachable or slow"),
/// through real processes: the gateway's connector reaches `pgate ems` through a TCP proxy in the
/// gateway namespace that, once the connector has synced, holds every chunk for 60 s — past
/// call-timeout 60 and past the client's 30 s patience. With `pull-tags disable` each decision is
/// a live lookup, so the EMS's slowness decides: within the decision budget (10 s) the gateway
/// refuses a client without a token, the reason saying the EMS was too slow, and admits one whose
/// token carries the tag. `pgate client` talks to the EMS directly (register, token).
/// </summary>
public sealed class PgateSlowEmsInteropTests(ITestOutputHelper output)
{
    private const string Tag = "lab_ok";
    private const string DynamicAddress = "EMS1_ZTNA_lab_ok";
    private const string EndpointUid = "F8A6AFF3531843B4972CBDBEEEB30E3C";
    private static readonly IPEndPoint ProxyListen = new(IPAddress.Loopback, 18013);

    [SkippableFact]
    public async Task SlowEms_NoToken_PromptRefusalSayingTooSlow_WithAToken_TheTokenDecides()
    {
        await using var lab = await InteropLab.CreateAsync(output);
        var ems = await lab.StartEmsAsync(listenAddress: InteropLab.GatewayIp);
        await lab.RegisterEndpointAsync(ems, EndpointUid, InteropLab.ClientIp, host: "DESKTOP-EMS-TAG-PH2");
        await lab.SetEndpointTagAsync(ems, Tag, EndpointUid, present: true);
        await using var proxy = DelayingTcpProxy.Start(lab.Namespace(LabNamespace.Gateway), ProxyListen, new IPEndPoint(IPAddress.Parse(InteropLab.GatewayIp), InteropLab.EmsPort));
        await lab.StartPgateGatewayAsync(new PgateLabConfig
        {
            Ems = ems, EmsVia = ProxyListen, EmsPullTags = false, EmsCallTimeout = 60, ZtnaTags = [DynamicAddress],
        }.ToString());
        await lab.WaitForAsync(async () => (await lab.PgateDiagnoseAsync("endpoint", "fctems", "status")).StdOut.Contains("state: synced", StringComparison.Ordinal),
            TimeSpan.FromSeconds(15), "the fctems connector to sync through the proxy");
        proxy.Delay = TimeSpan.FromSeconds(60);
        string[] client = ["--ems", ems.Url, "--ems-fingerprint", ems.CertificateFingerprint, "--uid", EndpointUid, "--ip", InteropLab.ClientIp];

        // The EMS has ZTNA tokens off: the client sends none.
        var refused = await lab.RunPgateClientOnceAsync(null, client);

        // 7: refused for posture, and told why (POSTURE_REASON, issue 13); the client fetched no token.
        Assert.Equal(7, refused.ExitCode);
        Assert.DoesNotMatch(@"ZTNA token \S+, expires", refused.Output);
        Assert.Contains($"tunnel dialup admits devices with tag {Tag}; the EMS did not answer in time and the client sent no ZTNA token", refused.Output);
        Assert.DoesNotContain("no answer from", refused.Output);
        Assert.Matches("(?i)ztna", refused.Output[refused.Output.IndexOf("connection failed", StringComparison.Ordinal)..]);
        var deny = Assert.Single(lab.PostureAuditLines("decision"));
        Assert.Contains("\"outcome\":\"deny\"", deny);
        Assert.Contains("EMS1 unreachable: too slow, no answer within the posture decision budget (10 s), and no ZTNA token to decide instead", deny);

        var enable = await LabProcess.RunAsync(InteropLab.DotnetHost(),
            [InteropLab.PgateDll(), "ems", "token", "settings", "--enable", "--data", ems.DataDirectory], TimeSpan.FromSeconds(60));
        Assert.True(enable.Succeeded, lab.Explain(enable.ToString()));

        var admitted = await lab.RunPgateClientOnceAsync(null, client);

        Assert.True(admitted.Succeeded, lab.Explain(admitted.ToString()));
        Assert.Contains("ZTNA token", admitted.Output);
        Assert.Contains("(gateway: EMS ZTNA tags check success)", admitted.Output);
        var allow = lab.PostureAuditLines("decision")[^1];
        Assert.Contains("\"outcome\":\"allow\"", allow);
        Assert.Contains("\"source\":\"token\"", allow);
        Assert.Contains($"\"tag\":\"{DynamicAddress}\"", allow);
        Assert.Contains("too slow, no answer within the posture decision budget (10 s)", allow);
    }
}
