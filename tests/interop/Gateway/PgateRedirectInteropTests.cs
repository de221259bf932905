using System.Text.RegularExpressions;
using PostureGate.Interop.Tests.Lab;
using PostureGate.Interop.Tests.Pgate;
using Xunit.Abstractions;

namespace PostureGate.Interop.Tests.Gateway;

/// <summary>
/// IKEv2 redirect (RFC 5685) between two pgate gateways: A at 198.51.100.1, B at 198.51.100.3
/// (lab.sh gw2-up), each naming the other in `redirect-gateway`. An untouched strongSwan 5.9.8
/// client (follow_redirects defaults to yes) dials A; A draining (`pgate gateway drain`) or at its
/// `redirect-threshold` sends it to B, where the tunnel comes up with B's pool and traffic flows.
/// A client without REDIRECT_SUPPORTED is never redirected. `pgate client` follows as strongSwan does.
/// </summary>
public sealed class PgateRedirectInteropTests(ITestOutputHelper output)
{
    private static PgateLabConfig A(int threshold = 0) => new() { RedirectGateways = [InteropLab.SecondGatewayIp], RedirectThreshold = threshold };

    private static PgateLabConfig B() => PgateLabConfig.SecondGateway() with { RedirectGateways = [InteropLab.GatewayIp] };

    private static async Task<InteropLab> TwoGatewaysAsync(ITestOutputHelper output, PgateLabConfig a, ClientOptions? client = null, bool strongSwan = true)
    {
        var lab = strongSwan ? await InteropLab.CreateWithPgateAsync(output, a, client) : await InteropLab.CreateWithPgateOnlyAsync(output, a);
        try
        {
            await lab.StartSecondPgateGatewayAsync(B().ToString());
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    [SkippableFact]
    public async Task DrainingA_RedirectsStrongSwan_ToB_WhereTheTunnelCarriesTraffic()
    {
        await using var lab = await TwoGatewaysAsync(output, A());
        var drain = await lab.PgateDrainAsync();
        Assert.True(drain.Succeeded, lab.Explain(drain.ToString()));
        Assert.StartsWith("draining:", drain.StdOut);

        var sa = await lab.InitiateEstablishedAsync("dialup");

        Assert.True(sa.RemoteHost == InteropLab.SecondGatewayIp, lab.Explain($"the tunnel is with {sa.RemoteHost}, not B"));
        Assert.Equal([InteropLab.SecondGatewayFirstPoolAddress], sa.LocalVips);
        Assert.Contains("redirected to 198.51.100.3", lab.ClientLog());
        var ping = await lab.PingFromClientAsync(InteropLab.SecondGatewayFirstPoolAddress);
        Assert.True(ping.AllReplied, lab.Explain(ping.ToString()));
        var status = await lab.PgateDiagnoseAsync("vpn", "ike", "redirect");
        Assert.Contains("draining: yes", status.StdOut);
        Assert.Contains("redirected: 1", status.StdOut);
        var onB = await lab.SecondPgateDiagnoseAsync("vpn", "ike", "gateway", "list");
        Assert.Contains("dialup_0", onB.StdOut);
    }

    [SkippableFact]
    public async Task AtItsThreshold_A_RedirectsTheNextClient_AndKeepsTheFirst()
    {
        await using var lab = await TwoGatewaysAsync(output, A(threshold: 1));

        var first = await lab.InitiateEstablishedAsync("dialup");
        var second = await lab.InitiateEstablishedAsync("aes256gcm");

        Assert.True(first.RemoteHost == InteropLab.GatewayIp, lab.Explain($"the first tunnel is with {first.RemoteHost}"));
        Assert.True(second.RemoteHost == InteropLab.SecondGatewayIp, lab.Explain($"the second tunnel is with {second.RemoteHost}, not B"));
        var ping = await lab.PingFromClientAsync(InteropLab.SecondGatewayFirstPoolAddress);
        Assert.True(ping.AllReplied, lab.Explain(ping.ToString()));
    }

    [SkippableFact]
    public async Task AClientWithoutRedirectSupported_IsNeverRedirected_AndRefusedOnlyWhileDraining()
    {
        await using var lab = await TwoGatewaysAsync(output, A(threshold: 1), new ClientOptions { FollowRedirects = false });

        var first = await lab.InitiateEstablishedAsync("dialup");
        var second = await lab.InitiateEstablishedAsync("aes256gcm");

        // Over the threshold, but strongSwan did not announce REDIRECT_SUPPORTED: A serves it.
        Assert.True(first.RemoteHost == InteropLab.GatewayIp && second.RemoteHost == InteropLab.GatewayIp,
            lab.Explain($"tunnels with {first.RemoteHost} and {second.RemoteHost}; both should be with A"));
        Assert.DoesNotContain("REDIRECT", lab.ClientLog());

        Assert.True((await lab.PgateDrainAsync()).Succeeded);
        var third = await lab.InitiateAsync("chacha20poly1305");
        Assert.False(third.Succeeded, lab.Explain($"a draining A took a client it cannot redirect:\n{third}"));
        Assert.Contains("TEMPORARY_FAILURE", lab.ClientLog());
        // The tunnels that were up stay up.
        var sas = await lab.ListSasAsync();
        Assert.Equal(2, sas.Count(s => s.IsEstablished && s.RemoteHost == InteropLab.GatewayIp));
    }

    [SkippableFact]
    public async Task PgateClient_FollowsTheRedirect_FromADrainingGateway()
    {
        await using var lab = await TwoGatewaysAsync(output, A(), strongSwan: false);
        Assert.True((await lab.PgateDrainAsync()).Succeeded);

        var r = await lab.RunPgateClientOnceAsync();

        Assert.True(r.Succeeded, lab.Explain(r.ToString()));
        Assert.Contains("198.51.100.1 redirected us to 198.51.100.3 (RFC 5685)", r.Output);
        // ClientSession: "connected: INSTANCE, address A, DNS …" — an address from B's pool.
        Assert.Matches($@"connected: \S+, address {Regex.Escape(InteropLab.SecondGatewayFirstPoolAddress)},", r.Output);
    }
}
