// Every failed authentication reaches IkeSaManagerOptions.AuthenticationFailed once, with the
// phase1, the peer, the user it claimed and a reason an administrator can act on.
using System.Collections.Concurrent;
using PostureGate.Ike.Sa;

namespace PostureGate.Ike.Tests.Exchange;

public class AuthFailureReportTests
{
    private readonly ConcurrentQueue<IkeAuthFailure> _failures = new();

    private IkeSaManagerOptions Reporting => new() { AuthenticationFailed = _failures.Enqueue };

    [Fact]
    public void A_wrong_psk_without_eap_is_reported_as_a_psk_or_id_mismatch()
    {
        using var h = new ExchangeHarness(ExchangeHarness.GatewayConfig(c => c with { EapEnabled = false }), gatewayOptions: Reporting);
        var result = h.Connect(ExchangeHarness.Alice(ExchangeHarness.ClientConfig(c => c with { EapEnabled = false, Psk = "wrong"u8.ToArray() })));

        Assert.False(result.Success);
        var f = Assert.Single(_failures);
        Assert.Equal("AUTH payload did not verify: PSK or ID mismatch", f.Reason);
        Assert.Equal(h.GatewayConfigUsed.Name, f.Phase1);
        Assert.NotNull(f.PeerId);
    }

    [Fact]
    public void A_wrong_eap_password_is_reported_with_the_user()
    {
        using var h = new ExchangeHarness(gatewayOptions: Reporting);
        var result = h.Connect(ExchangeHarness.Alice() with { EapPassword = "guess" });

        Assert.False(result.Success);
        var f = Assert.Single(_failures);
        Assert.Equal("alice", f.User);
        Assert.Equal("EAP authentication failed: EAP-MSCHAPv2 failed for 'alice': wrong password", f.Reason);
        // The half-open timeout that follows is the same failure, not a second one.
        h.Time.Advance(TimeSpan.FromSeconds(31));
        Assert.Single(_failures);
    }

    [Fact]
    public void A_wrong_psk_with_eap_is_reported_when_the_client_falls_silent()
    {
        using var h = new ExchangeHarness(gatewayOptions: Reporting);
        var result = h.Connect(ExchangeHarness.Alice(ExchangeHarness.ClientConfig(c => c with { Psk = "not-the-psk"u8.ToArray() })));
        Assert.False(result.Success);
        Assert.Empty(_failures);

        h.Time.Advance(TimeSpan.FromSeconds(31));

        var f = Assert.Single(_failures);
        Assert.StartsWith("no answer after the gateway's AUTH: the client could not verify it (PSK or ID mismatch)", f.Reason, StringComparison.Ordinal);
    }
}
