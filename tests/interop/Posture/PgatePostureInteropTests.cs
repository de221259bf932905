using PostureGate.Interop.Tests.Lab;
using PostureGate.Interop.Tests.Pgate;
using Xunit.Abstractions;

namespace PostureGate.Interop.Tests.Posture;

/// <summary>
/// The posture gate driven through real processes (issue 5): `pgate ems` on 127.0.0.1 in the
/// gateway namespace, `pgate gateway` whose phase1 has `set remote-gw-match ztna` and
/// `set remote-gw-ztna-tags "EMS1_ZTNA_lab_ok"` with fctems entry 1 pinned to that EMS, and the
/// strongSwan client. strongSwan sends no FORTICLIENT_CONNECT, so the gateway judges it by its
/// address 198.51.100.2, which the test registers at the EMS (POST /api/v1/endpoints) and tags
/// with the admin CLI (`pgate ems tag add|remove`).
/// </summary>
public sealed class PgatePostureInteropTests(ITestOutputHelper output)
{
    private const string Tag = "lab_ok";
    private const string DynamicAddress = "EMS1_ZTNA_lab_ok";
    private const string EndpointUid = "5A1E0C11E47F4D2B9C0F1A2B3C4D5E6F";
    private static readonly string ClientAddress = $"ADDR({InteropLab.ClientIp})";
    private static readonly TimeSpan SyncWait = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan RevokeWait = TimeSpan.FromSeconds(10);

    [SkippableFact]
    public async Task TaggedClientAddress_IsAdmitted_AndResolvesTheDynamicAddress()
    {
        await using var run = await StartAsync();
        var (lab, _, debug) = run;

        var sa = await lab.InitiateEstablishedAsync("dialup");

        Assert.Equal([InteropLab.FirstPoolAddress], sa.LocalVips);
        var list = await lab.PgateDiagnoseAsync("firewall", "dynamic", "list", DynamicAddress);
        Assert.True(list.Succeeded, lab.Explain(list.ToString()));
        Assert.Contains(ClientAddress, list.StdOut);
        await lab.WaitForAsync(() => Task.FromResult(debug.Text.Contains("EMS ZTNA tags check success", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(5), "\"EMS ZTNA tags check success\" in the ike debug stream");
        Assert.DoesNotContain("EMS ZTNA tags check failure", debug.Text);
    }

    [SkippableFact]
    public async Task TagRemoved_ClientIsRefused_AndNoTunnelExists()
    {
        await using var run = await StartAsync();
        var (lab, ems, debug) = run;

        await lab.SetEndpointTagAsync(ems, Tag, EndpointUid, present: false);
        await WaitForDynamicAddressAsync(lab, present: false);
        var r = await lab.InitiateAsync("dialup", timeoutSeconds: 15);

        Assert.False(r.Succeeded, lab.Explain($"the gateway admitted a client whose address lost tag {Tag}:\n{r}"));
        Assert.DoesNotContain(await lab.ListSasAsync(), s => s.IsEstablished);
        Assert.Contains("EMS ZTNA tags check failure", debug.Text);
        Assert.DoesNotContain("EMS ZTNA tags check success", debug.Text);
        var gateways = await lab.PgateDiagnoseAsync("vpn", "ike", "gateway", "list");
        Assert.DoesNotContain("dialup_0", gateways.StdOut);
    }

    [SkippableFact]
    public async Task TagRemovedWhileTheTunnelIsUp_GatewayDeletesIt()
    {
        await using var run = await StartAsync();
        var (lab, ems, debug) = run;
        var sa = await lab.InitiateEstablishedAsync("dialup");

        await lab.SetEndpointTagAsync(ems, Tag, EndpointUid, present: false);

        await lab.WaitForSasAsync(l => !l.Any(s => s.IsEstablished), RevokeWait,
            $"the gateway to delete the tunnel after tag {Tag} was removed", "dialup");
        Assert.Contains("posture revoked", debug.Text);
        Assert.Contains($"received DELETE for IKE_SA dialup[{sa.UniqueId}]", lab.ClientLog());
        var list = await lab.PgateDiagnoseAsync("firewall", "dynamic", "list", DynamicAddress);
        Assert.DoesNotContain(ClientAddress, list.StdOut);
    }

    /// <summary>EMS up, the client's address registered and tagged, pgate configured for it and
    /// synced (the dynamic address resolves the client), the debug stream attached, the
    /// strongSwan client started.</summary>
    private async Task<PostureRun> StartAsync()
    {
        var lab = await InteropLab.CreateAsync(output);
        PgateDebugStream? debug = null;
        try
        {
            var ems = await lab.StartEmsAsync();
            await lab.RegisterEndpointAsync(ems, EndpointUid, InteropLab.ClientIp);
            await lab.SetEndpointTagAsync(ems, Tag, EndpointUid, present: true);
            await lab.StartPgateGatewayAsync(new PgateLabConfig { Ems = ems, ZtnaTags = [DynamicAddress] }.ToString());
            await WaitForDynamicAddressAsync(lab, present: true);
            debug = await lab.AttachPgateDebugAsync();
            await lab.StartClientAsync();
            return new PostureRun(lab, ems, debug);
        }
        catch
        {
            debug?.Dispose();
            await lab.DisposeAsync();
            throw;
        }
    }

    private static Task WaitForDynamicAddressAsync(InteropLab lab, bool present) =>
        lab.WaitForAsync(async () =>
            {
                var r = await lab.PgateDiagnoseAsync("firewall", "dynamic", "list", DynamicAddress);
                return r.Succeeded && r.StdOut.Contains(ClientAddress, StringComparison.Ordinal) == present;
            }, SyncWait,
            $"`diagnose firewall dynamic list {DynamicAddress}` {(present ? "to show" : "to drop")} {ClientAddress}");

    private sealed record PostureRun(InteropLab Lab, LabEms Ems, PgateDebugStream Debug) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Debug.Dispose();
            await Lab.DisposeAsync();
        }
    }
}
