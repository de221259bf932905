// `diagnose vpn ike gateway list` shows each gateway's own values (the seed, Example 2): the
// interface of its phase1, the IKE SAs it created, and tun_id with its IPv6 part.
using PostureGate.Ike.Sa;

namespace PostureGate.Ike.Tests.Exchange;

public class GatewayListPerGatewayTests
{
    [Fact]
    public void EachGatewayCountsItsOwnIkeSasAndShowsItsPhase1sInterface()
    {
        using var h = new ExchangeHarness(gatewayOptions: new IkeSaManagerOptions { InterfaceOf = p => p == "dialup" ? "port1 9" : "" });

        Assert.True(h.Connect(ExchangeHarness.Alice() with { InitialContact = false }).Success);
        Assert.True(h.Connect(ExchangeHarness.Alice(port: 501) with { InitialContact = false }).Success);

        var sas = h.Gateway.Snapshot();
        Assert.Equal(2, sas.Count);
        var now = DateTimeOffset.UtcNow;
        foreach (var sa in sas)
        {
            var text = sa.Format(now);
            // Process-wide counting said "created 1/2  established 1/2" for the second.
            Assert.Contains("IKE SA: created 1/1  established 1/1  time ", text, StringComparison.Ordinal);
            Assert.Contains("interface: port1 9\n", text, StringComparison.Ordinal);
            Assert.Contains($"tun_id: {sa.TunnelId}/::{sa.TunnelId}\n", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AnInterfaceNotKnownIsLeftOut()
    {
        using var h = new ExchangeHarness();

        Assert.True(h.Connect().Success);

        Assert.DoesNotContain("interface:", Assert.Single(h.Gateway.Snapshot()).Format(DateTimeOffset.UtcNow), StringComparison.Ordinal);
    }
}
