// The per-source half-open limit (IkeSaManagerOptions.HalfOpenPerSource): one address cannot hold
// more unauthenticated IKE SAs than that, whatever the cookie threshold (RFC 7296 §2.6); other
// addresses, retransmissions and completed SAs are not affected.
using System.Net;
using PostureGate.Ike.Kernel;
using PostureGate.Ike.Sa;

namespace PostureGate.Ike.Tests.Exchange;

public class HalfOpenPerSourceTests
{
    private static ExchangeHarness Limited(int perSource) =>
        new(gatewayOptions: new IkeSaManagerOptions { HalfOpenPerSource = perSource });

    /// <summary>
    /// Sends <paramref name="n"/> IKE_SA_INIT requests from the client's address (other ports) and delivers
    /// them; the gateway's answers are lost, so the SAs stay half-open.
    /// </summary>
    internal static List<Datagram> Flood(ExchangeHarness h, int n, int firstPort = 1000)
    {
        var requests = new List<Datagram>();
        for (var i = 0; i < n; i++)
        {
            while (h.Network.Pending > 0)
                h.Network.Take();
            _ = h.Client.InitiateAsync(ExchangeHarness.Alice(port: firstPort + i));
            var request = h.Network.Take();
            requests.Add(request);
            h.Network.Inject(request);
        }
        return requests;
    }

    [Fact]
    public void ASourceAboveTheLimit_GetsNoNewHalfOpenSa_AndNoAnswer()
    {
        using var h = Limited(3);
        Flood(h, 3);
        var sent = h.Network.Sent.Count;
        var dropped = h.Gateway.DroppedDatagrams;
        Flood(h, 2, firstPort: 2000);
        Assert.Equal(3, h.Gateway.HalfOpenCount);
        Assert.Equal(dropped + 2, h.Gateway.DroppedDatagrams);
        Assert.Equal(sent + 2, h.Network.Sent.Count); // the two requests themselves, no answer
        Assert.Equal(0, h.Network.Pending);
    }

    [Fact]
    public void ARetransmission_OfAHalfOpenSasRequest_IsStillAnswered_AtTheLimit()
    {
        using var h = Limited(2);
        var requests = Flood(h, 2);
        while (h.Network.Pending > 0)
            h.Network.Take();
        h.Network.Inject(requests[1]);
        var answer = h.Network.Take();
        Assert.Equal(requests[1].From, answer.To);
    }

    [Fact]
    public async Task AnotherSource_IsNotAffected()
    {
        using var h = Limited(2);
        Flood(h, 4);
        Assert.Equal(2, h.Gateway.HalfOpenCount);
        var other = IPAddress.Parse("198.51.100.3");
        using var second = new IkeSaManager([], h.Network.SenderFor(), new InMemoryChildSaInstaller(), new IkeSaManagerOptions { Time = h.Time });
        h.Network.Attach(other, second);
        var task = second.InitiateAsync(ExchangeHarness.Alice() with { Local = new IPEndPoint(other, 500) });
        h.Network.Pump();
        Assert.True(task.IsCompleted);
        var result = await task;
        Assert.True(result.Success, result.Error);
    }

    [Fact]
    public void ACompletedSa_FreesItsPlace()
    {
        using var h = Limited(1);
        Assert.True(h.Connect().Success);
        Assert.Equal(0, h.Gateway.HalfOpenCount);
        var second = h.Connect(ExchangeHarness.Alice(port: 4500));
        Assert.True(second.Success, second.Error);
    }

    [Fact]
    public void AHalfOpenTimeout_FreesItsPlace()
    {
        using var h = Limited(1);
        Flood(h, 1);
        while (h.Network.Pending > 0)
            h.Network.Take();
        h.Time.Advance(h.GatewayConfigUsed.HalfOpenTimeout + TimeSpan.FromSeconds(1));
        Assert.Equal(0, h.Gateway.HalfOpenCount);
        Flood(h, 1, firstPort: 3000);
        Assert.Equal(1, h.Gateway.HalfOpenCount);
    }
}
