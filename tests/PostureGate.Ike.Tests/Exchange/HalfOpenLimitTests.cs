// The gateway-wide half-open limit (IkeSaManagerOptions.HalfOpenLimit, strongSwan's init_limit_half_open):
// however many source addresses a flood uses, the gateway holds no more unauthenticated IKE SAs than
// that (RFC 7296 §2.6 cookies do not stop initiators that see their answers); retransmissions and
// completed or timed-out SAs are handled as below the limit.
using System.Net;
using PostureGate.Ike.Kernel;
using PostureGate.Ike.Sa;

namespace PostureGate.Ike.Tests.Exchange;

public class HalfOpenLimitTests
{
    private static readonly IPAddress Other = IPAddress.Parse("198.51.100.3");

    private static ExchangeHarness Limited(int limit) =>
        new(gatewayOptions: new IkeSaManagerOptions { HalfOpenLimit = limit });

    /// <summary>Half-open SAs from the client's address (their answers lost), the network left empty.</summary>
    private static List<Datagram> Flood(ExchangeHarness h, int n)
    {
        var requests = HalfOpenPerSourceTests.Flood(h, n);
        while (h.Network.Pending > 0)
            h.Network.Take();
        return requests;
    }

    /// <summary>An initiator at another address, attached to the harness's network.</summary>
    private static IkeSaManager SecondSource(ExchangeHarness h)
    {
        var second = new IkeSaManager([], h.Network.SenderFor(), new InMemoryChildSaInstaller(), new IkeSaManagerOptions { Time = h.Time });
        h.Network.Attach(Other, second);
        return second;
    }

    [Fact]
    public void AtTheLimit_ANewRequestFromAnotherSource_IsDropped_WithoutAnAnswer()
    {
        using var h = Limited(3);
        Flood(h, 3); // well under the per-source limit (64)
        using var second = SecondSource(h);
        _ = second.InitiateAsync(ExchangeHarness.Alice() with { Local = new IPEndPoint(Other, 500) });
        var request = h.Network.Take();
        var dropped = h.Gateway.DroppedDatagrams;
        h.Network.Inject(request);
        Assert.Equal(3, h.Gateway.HalfOpenCount);
        Assert.Equal(dropped + 1, h.Gateway.DroppedDatagrams);
        Assert.Equal(0, h.Network.Pending);
    }

    [Fact]
    public void OneSource_BelowItsOwnLimit_StopsAtTheGatewayLimit()
    {
        using var h = Limited(3);
        Flood(h, 5);
        Assert.Equal(3, h.Gateway.HalfOpenCount);
    }

    [Fact]
    public void ARetransmission_OfAHalfOpenSasRequest_IsStillAnswered_AtTheLimit()
    {
        using var h = Limited(2);
        var requests = Flood(h, 2);
        h.Network.Inject(requests[0]);
        var answer = h.Network.Take();
        Assert.Equal(requests[0].From, answer.To);
        Assert.Equal(2, h.Gateway.HalfOpenCount);
    }

    [Fact]
    public async Task AHalfOpenTimeout_FreesAPlace_ForAnotherSource()
    {
        using var h = Limited(1);
        Flood(h, 1);
        h.Time.Advance(h.GatewayConfigUsed.HalfOpenTimeout + TimeSpan.FromSeconds(1));
        Assert.Equal(0, h.Gateway.HalfOpenCount);
        while (h.Network.Pending > 0)
            h.Network.Take(); // the client's own retransmissions
        using var second = SecondSource(h);
        var task = second.InitiateAsync(ExchangeHarness.Alice() with { Local = new IPEndPoint(Other, 500) });
        h.Network.Pump();
        Assert.True(task.IsCompleted);
        var result = await task;
        Assert.True(result.Success, result.Error);
    }
}
