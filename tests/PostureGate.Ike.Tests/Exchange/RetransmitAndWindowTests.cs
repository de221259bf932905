// RFC 7296 §2.1 retransmissions and §2.3 message ID window; garbage before authentication.
using System.Net;
using PostureGate.Ike.Messages;

namespace PostureGate.Ike.Tests.Exchange;

public class RetransmitAndWindowTests
{
    [Fact]
    public void RepeatedRequestGetsIdenticalCachedResponse()
    {
        using var h = new ExchangeHarness();
        _ = h.Client.InitiateAsync(ExchangeHarness.Alice());
        h.Network.Deliver(); // IKE_SA_INIT -->
        h.Network.Deliver(); // <-- IKE_SA_INIT
        var authRequest = h.Network.Peek()!;
        h.Network.Deliver(); // IKE_AUTH 1 -->
        var firstResponse = h.Network.Take();
        var sentBefore = h.Network.Sent.Count;

        h.Network.Inject(authRequest); // the same request again
        var again = h.Network.Take();
        Assert.Equal(firstResponse.Bytes, again.Bytes);
        Assert.Equal(sentBefore + 1, h.Network.Sent.Count);

        // The IKE_SA_INIT request repeated gets its cached response too, without a second SA.
        h.Network.Inject(h.Network.Sent[0]);
        Assert.Equal(h.Network.Sent[1].Bytes, h.Network.Take().Bytes);
        Assert.Equal(1, h.Gateway.HalfOpenCount);
    }

    [Fact]
    public async Task InitiatorRetransmitsWithBackoffThenGivesUp()
    {
        using var h = new ExchangeHarness();
        h.Network.Drop = d => d.To.Address.Equals(ExchangeHarness.GatewayAddress);
        var task = h.Client.InitiateAsync(ExchangeHarness.Alice());
        Assert.Single(h.Network.Sent);
        h.Time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(2, h.Network.Sent.Count);
        h.Time.Advance(TimeSpan.FromSeconds(7.2)); // 4 × 1.8
        Assert.Equal(3, h.Network.Sent.Count);
        h.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(6, h.Network.Sent.Count); // the first send and 5 retransmits
        Assert.True(task.IsCompleted);
        Assert.False((await task).Success);
        Assert.All(h.Network.Sent, d => Assert.Equal(h.Network.Sent[0].Bytes, d.Bytes));
    }

    [Fact]
    public void OutOfWindowRequestsAreDroppedWithoutChange()
    {
        using var h = new ExchangeHarness();
        var result = h.Connect();
        Assert.True(result.Success);
        var lastRequest = h.Network.Sent.Last(d => d.To.Address.Equals(ExchangeHarness.GatewayAddress));
        Assert.True(IkeHeader.TryRead(lastRequest.Bytes, out var header));
        var dropped = h.Gateway.DroppedDatagrams;
        var sent = h.Network.Sent.Count;

        // Message ID 1 ahead of the window and one long gone: both dropped, nothing answered.
        foreach (var id in new[] { header.MessageId + 2, 1u })
        {
            var copy = (byte[])lastRequest.Bytes.Clone();
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(20), id);
            h.Network.Inject(lastRequest with { Bytes = copy });
        }
        Assert.Equal(sent, h.Network.Sent.Count);
        Assert.Equal(dropped + 2, h.Gateway.DroppedDatagrams);
        Assert.Equal("established", Assert.Single(h.Gateway.Snapshot()).Status);
    }

    [Theory]
    [InlineData("Empty", "")]
    [InlineData("TooShort", "0102030405")]
    [InlineData("BadLength", "0000000000000001000000000000000021202208000000000000ffff")]
    [InlineData("Ikev1", "00000000000000010000000000000000211022080000000000000000001c")]
    public void GarbageBeforeAuthenticationChangesNothing(string name, string hex)
    {
        using var h = new ExchangeHarness();
        var bytes = Convert.FromHexString(hex);
        h.Network.Inject(new Datagram(bytes, new IPEndPoint(ExchangeHarness.ClientAddress, 500), new IPEndPoint(ExchangeHarness.GatewayAddress, 500)));
        Assert.Equal(0, h.Network.Pending);
        Assert.Equal(1, h.Gateway.DroppedDatagrams);
        Assert.Empty(h.Gateway.Snapshot());
        Assert.True(h.Gateway.HalfOpenCount == 0, name);
    }

    [Fact]
    public async Task CorruptedAuthRequestIsDroppedAndTheExchangeStillCompletes()
    {
        using var h = new ExchangeHarness();
        var task = h.Client.InitiateAsync(ExchangeHarness.Alice());
        h.Network.Deliver();
        h.Network.Deliver();
        var auth = h.Network.Take();
        var bad = (byte[])auth.Bytes.Clone();
        bad[^1] ^= 0xff; // breaks the ICV: §2.21.2 says drop silently
        h.Network.Inject(auth with { Bytes = bad });
        Assert.Equal(0, h.Network.Pending);
        Assert.Equal(1, h.Gateway.DroppedDatagrams);
        h.Time.Advance(TimeSpan.FromSeconds(4)); // the client retransmits the intact request
        h.Network.Pump();
        var result = await task;
        Assert.True(result.Success, result.Error);
    }

    [Fact]
    public void MalformedRequestAfterAuthenticationGetsInvalidSyntax()
    {
        using var h = new ExchangeHarness();
        var result = h.Connect();
        Assert.True(result.Success);
        // A well-protected INFORMATIONAL carrying a payload §1.4 does not allow there (an SA payload).
        var clientSa = h.Client.AllSas.Single();
        var header = new IkeHeader(clientSa.SpiI, clientSa.SpiR, PayloadType.NoNextPayload, ExchangeType.Informational,
            IkeHeaderFlags.Initiator, clientSa.NextRequestId, 0);
        var bad = PostureGate.Ike.Sa.IkeWire.Encode(clientSa, header,
            [new PostureGate.Ike.Messages.Payloads.SaPayload(PostureGate.Ike.Sa.ProposalSelector.BuildEspOffer([ExchangeHarness.P2("aes256gcm")], default, 0x1234))]).Single();
        h.Network.Inject(new Datagram(bad, clientSa.Local, clientSa.Remote));
        var answer = h.Network.Take();
        var gatewaySa = h.Gateway.AllSas.Single();
        Assert.True(IkeMessage.TryParse(answer.Bytes, out var parsed, out _));
        Assert.True(parsed!.IsResponse);
        Assert.True(parsed.TryDecrypt(gatewaySa.Keys!.FromResponder, out var decrypted, out _));
        Assert.Equal(NotifyType.InvalidSyntax, Assert.IsType<PostureGate.Ike.Messages.Payloads.NotifyPayload>(Assert.Single(decrypted!.Payloads)).NotifyType);
        Assert.Equal("established", Assert.Single(h.Gateway.Snapshot()).Status);
        Assert.Single(h.GatewayInstaller.Installed);
    }
}
