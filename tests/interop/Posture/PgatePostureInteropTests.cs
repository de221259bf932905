using PostureGate.Interop.Tests.Lab;
using PostureGate.Interop.Tests.Pgate;
using Xunit.Abstractions;

namespace PostureGate.Interop.Tests.Posture;

/// <summary>
/// The posture gate against the strongSwan client, through real processes: `pgate ems` on
/// 127.0.0.1 in the gateway namespace, `pgate gateway` whose phase1 has `set remote-gw-match ztna`
/// and `set remote-gw-ztna-tags "EMS1_ZTNA_lab_ok"` with fctems entry 1 pinned to that EMS.
/// strongSwan sends no FORTICLIENT_CONNECT, so it names no endpoint UID: however tagged its
/// address 198.51.100.2 is at the EMS, the gate refuses it (issue 10 finding 2: an address is not
/// an identity — anyone with VPN credentials could claim a tagged endpoint's). Admission, a tag
/// removed while the tunnel is up, and out-of-sync are covered through `pgate client --ems`
/// (PgateClientPostureInteropTests, PgateOutOfSyncInteropTests).
/// </summary>
public sealed class PgatePostureInteropTests(ITestOutputHelper output)
{
    private const string Tag = "lab_ok";
    private const string DynamicAddress = "EMS1_ZTNA_lab_ok";
    private const string EndpointUid = "5A1E0C11E47F4D2B9C0F1A2B3C4D5E6F";
    private static readonly string ClientAddress = $"ADDR({InteropLab.ClientIp})";
    private static readonly TimeSpan SyncWait = TimeSpan.FromSeconds(15);

    [SkippableFact]
    public async Task StrongSwanWithoutAUid_IsRefused_EvenFromATaggedAddress_WithTheReasonInTheAuditLine()
    {
        await using var lab = await InteropLab.CreateAsync(output);
        var ems = await lab.StartEmsAsync();
        await lab.RegisterEndpointAsync(ems, EndpointUid, InteropLab.ClientIp);
        await lab.SetEndpointTagAsync(ems, Tag, EndpointUid, present: true);
        await lab.StartPgateGatewayAsync(new PgateLabConfig { Ems = ems, ZtnaTags = [DynamicAddress] }.ToString());
        // The client's address resolves the tag: before this fix, that admitted it.
        await lab.WaitForAsync(async () => (await lab.PgateDiagnoseAsync("firewall", "dynamic", "list", DynamicAddress)).StdOut.Contains(ClientAddress, StringComparison.Ordinal),
            SyncWait, $"`diagnose firewall dynamic list {DynamicAddress}` to show {ClientAddress}");
        using var debug = await lab.AttachPgateDebugAsync();
        await lab.StartClientAsync();

        var r = await lab.InitiateAsync("dialup", timeoutSeconds: 15);

        Assert.False(r.Succeeded, lab.Explain($"the gateway admitted a client that named no endpoint UID:\n{r}"));
        Assert.DoesNotContain(await lab.ListSasAsync(), s => s.IsEstablished);
        var decision = Assert.Single(lab.PostureAuditLines("decision"));
        Assert.Contains("\"outcome\":\"deny\"", decision);
        Assert.Contains("FortiClient UID missing: no FORTICLIENT_CONNECT", decision);
        Assert.Contains("FortiClient UID missing", debug.Text);
        Assert.Contains("EMS ZTNA tags check failure", debug.Text);
        Assert.DoesNotContain("EMS ZTNA tags check success", debug.Text);
        var gateways = await lab.PgateDiagnoseAsync("vpn", "ike", "gateway", "list");
        Assert.DoesNotContain("dialup_0", gateways.StdOut);
        var explain = await lab.PgateDiagnoseAsync("posture", "explain", "192.0.2.99", "dialup");
        Assert.Contains("FortiClient UID missing", explain.StdOut);
    }
}
