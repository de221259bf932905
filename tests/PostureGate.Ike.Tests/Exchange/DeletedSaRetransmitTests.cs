// RFC 7296 §2.1: a retransmitted request whose answer was lost gets the same answer, also when the
// answer deleted the SA (the peer's Delete): the gateway keeps the last response of a deleted SA.
using PostureGate.Ike.Messages;
using PostureGate.Ike.Sa;

namespace PostureGate.Ike.Tests.Exchange;

public class DeletedSaRetransmitTests
{
    private static bool FromGateway(Datagram d) => d.From.Address.Equals(ExchangeHarness.GatewayAddress);

    /// <summary>Connects, has the client delete the SA (answered), and returns the client's Delete request.</summary>
    private static Datagram DeleteAnswered(ExchangeHarness h)
    {
        var result = h.Connect();
        var done = h.Client.DeleteAsync(result.Instance!, "done");
        var request = h.Network.Peek()!;
        h.Network.Pump();
        Assert.Empty(h.Gateway.Snapshot());
        Assert.True(done.IsCompleted);
        return request;
    }

    [Fact]
    public async Task ARetransmittedDelete_WhoseAnswerWasLost_IsAnsweredAfterTheSaIsGone()
    {
        using var h = new ExchangeHarness();
        var result = h.Connect();
        Assert.True(result.Success, result.Error);
        var lost = 0;
        h.Network.Drop = d => FromGateway(d) && lost++ == 0; // the gateway's answer to the Delete
        var done = h.Client.DeleteAsync(result.Instance!, "swanctl --terminate");
        h.Network.Pump();
        Assert.Empty(h.Gateway.Snapshot());
        Assert.False(done.IsCompleted);

        h.Elapse(TimeSpan.FromSeconds(10)); // the client's first retransmit is at 4 s
        Assert.True(done.IsCompleted, "the retransmitted Delete got no answer");
        Assert.True(await done);
        var answers = h.Network.Sent.Where(d => FromGateway(d) && IkeHeader.TryRead(d.Bytes, out var hd) && hd.Exchange == ExchangeType.Informational).ToList();
        Assert.Equal(2, answers.Count);
        Assert.Equal(answers[0].Bytes, answers[1].Bytes); // the cached answer, not a new one
    }

    [Fact]
    public void AReplayedDelete_FromAnotherAddress_IsAnsweredToTheSasPeer_AndOnlyAFewTimes()
    {
        using var h = new ExchangeHarness();
        var request = DeleteAnswered(h);

        var spoofed = new System.Net.IPEndPoint(System.Net.IPAddress.Parse("203.0.113.66"), 500);
        var sentBefore = h.Network.Sent.Count;
        for (var i = 0; i < 20; i++)
            h.Network.Inject(request with { From = spoofed });
        var answers = h.Network.Sent.Skip(sentBefore).ToList();
        Assert.Equal(DeletedSaResponses.MaxAnswers, answers.Count);
        Assert.All(answers, a => Assert.Equal(request.From, a.To));
    }

    [Fact]
    public void ADifferentRequest_ToADeletedSa_IsDropped()
    {
        using var h = new ExchangeHarness();
        var request = DeleteAnswered(h);
        var altered = request.Bytes.ToArray();
        altered[^1] ^= 1; // same SPIs and message ID, other octets
        var sentBefore = h.Network.Sent.Count;
        var dropped = h.Gateway.DroppedDatagrams;
        h.Network.Inject(request with { Bytes = altered });
        Assert.Equal(sentBefore, h.Network.Sent.Count);
        Assert.Equal(dropped + 1, h.Gateway.DroppedDatagrams);
    }

    [Fact]
    public void TheKeptAnswer_ExpiresAfterItsLifetime()
    {
        using var h = new ExchangeHarness();
        var request = DeleteAnswered(h);
        h.Time.Advance(DeletedSaResponses.Lifetime + TimeSpan.FromSeconds(1));
        var sentBefore = h.Network.Sent.Count;
        h.Network.Inject(request);
        Assert.Equal(sentBefore, h.Network.Sent.Count);
    }
}
