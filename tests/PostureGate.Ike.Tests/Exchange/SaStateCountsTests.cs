// IkeSaManager.CountByState (the pgate_ike_sa_by_state gauge): every live SA in its state, an
// answered IKE_SA_INIT as connecting (RFC 7296 §2.6 half-open), a finished IKE_AUTH as established.
using PostureGate.Ike.Sa;

namespace PostureGate.Ike.Tests.Exchange;

public sealed class SaStateCountsTests
{
    [Fact]
    public void NoSa_EveryStateZero_AndNoDestroyedEntry()
    {
        using var h = new ExchangeHarness();
        var counts = h.Gateway.CountByState();
        Assert.All(counts.Values, v => Assert.Equal(0, v));
        Assert.Equal(
            [IkeSaState.Connecting, IkeSaState.Authenticating, IkeSaState.Established, IkeSaState.Rekeying, IkeSaState.Deleting],
            counts.Keys.Order());
    }

    [Fact]
    public void HalfOpen_IsConnecting_ThenEstablished_AfterIkeAuth()
    {
        using var h = new ExchangeHarness();
        // IKE_SA_INIT delivered, the answer lost: the gateway's SA waits for IKE_AUTH.
        _ = h.Client.InitiateAsync(ExchangeHarness.Alice(port: 1000));
        h.Network.Inject(h.Network.Take());
        while (h.Network.Pending > 0)
            h.Network.Take();
        Assert.Equal(1, h.Gateway.CountByState()[IkeSaState.Connecting]);
        Assert.Equal(h.Gateway.HalfOpenCount, h.Gateway.CountByState()[IkeSaState.Connecting]);

        using var other = new ExchangeHarness();
        Assert.True(other.Connect().Success);
        var counts = other.Gateway.CountByState();
        Assert.Equal(1, counts[IkeSaState.Established]);
        Assert.Equal(other.Gateway.Count, counts.Values.Sum());
    }
}
