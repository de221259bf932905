// RFC 7296 §2.6 cookies under load and RFC 7383 fragmentation end to end.
using System.Net;
using PostureGate.Ike.Config;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Net;

namespace PostureGate.Ike.Tests.Exchange;

public class CookieAndFragmentationTests
{
    [Fact]
    public async Task CookieRequiredAboveHalfOpenThreshold()
    {
        using var h = new ExchangeHarness(ExchangeHarness.GatewayConfig(c => c with { CookieThreshold = 1 }));
        // A half-open SA from another initiator that never continues.
        _ = h.Client.InitiateAsync(ExchangeHarness.Alice(port: 900) with { Local = new IPEndPoint(ExchangeHarness.ClientAddress, 900) });
        h.Network.Deliver();
        h.Network.Take();
        Assert.Equal(1, h.Gateway.HalfOpenCount);

        var task = h.Client.InitiateAsync(ExchangeHarness.Alice());
        h.Network.Deliver(); // IKE_SA_INIT without cookie -->
        var refusal = h.Network.Peek()!;
        Assert.True(IkeMessage.TryParse(refusal.Bytes, out var message, out _));
        var cookie = Assert.Single(message!.Payloads);
        Assert.Equal(NotifyType.Cookie, Assert.IsType<NotifyPayload>(cookie).NotifyType);
        Assert.Equal(1, h.Gateway.HalfOpenCount); // no state for the cookie-less request

        h.Network.Pump();
        var result = await task;
        Assert.True(result.Success, result.Error);
        // The retried IKE_SA_INIT carried the cookie first (§2.6).
        var retry = h.Network.Sent.Where(d => d.To.Address.Equals(ExchangeHarness.GatewayAddress) && d.Exchange == ExchangeType.IkeSaInit).ElementAt(2);
        Assert.True(IkeMessage.TryParse(retry.Bytes, out var retried, out _));
        Assert.Equal(NotifyType.Cookie, Assert.IsType<NotifyPayload>(retried!.Payloads[0]).NotifyType);
    }

    [Fact]
    public void FragmentedIkeAuthBothWays()
    {
        // Many split networks make the final IKE_AUTH response large; a small MTU forces SKF both ways.
        var splits = Enumerable.Range(0, 40).Select(i => Ipv4Subnet.Parse($"10.{i}.0.0/16")).Append(Ipv4Subnet.Parse("203.0.113.0/24")).ToList();
        using var h = new ExchangeHarness(ExchangeHarness.GatewayConfig(c => c with { FragmentMtu = 300, SplitInclude = splits }));
        var result = h.Connect(ExchangeHarness.Alice(ExchangeHarness.ClientConfig(c => c with { FragmentMtu = 200 })));
        Assert.True(result.Success, result.Error);
        Assert.Equal(41, result.SplitNetworks.Count);
        Assert.Contains(h.Network.Sent, d => d.From.Address.Equals(ExchangeHarness.GatewayAddress) && d.IsFragment);
        Assert.Contains(h.Network.Sent, d => d.From.Address.Equals(ExchangeHarness.ClientAddress) && d.IsFragment);
        Assert.All(h.Network.Sent.Where(d => d.IsFragment), d => Assert.True(d.Bytes.Length <= 300));
        Assert.Single(h.GatewayInstaller.Installed);
    }

    [Fact]
    public void RetransmittedFirstFragmentGetsTheCachedResponse()
    {
        using var h = new ExchangeHarness(ExchangeHarness.GatewayConfig(c => c with { FragmentMtu = 200 }));
        var task = h.Client.InitiateAsync(ExchangeHarness.Alice(ExchangeHarness.ClientConfig(c => c with { FragmentMtu = 200 })));
        h.Network.Deliver();
        h.Network.Deliver(); // <-- IKE_SA_INIT; the client now sends IKE_AUTH 1 as fragments
        var fragments = new List<Datagram>();
        while (h.Network.Peek() is { } d && d.To.Address.Equals(ExchangeHarness.GatewayAddress))
        {
            fragments.Add(d);
            h.Network.Deliver();
        }
        Assert.True(fragments.Count > 1);
        var answers = new List<Datagram>();
        while (h.Network.Pending > 0)
            answers.Add(h.Network.Take());
        h.Network.Inject(fragments[0]);
        var again = new List<Datagram>();
        while (h.Network.Pending > 0)
            again.Add(h.Network.Take());
        Assert.Equal(answers.Select(a => a.Bytes), again.Select(a => a.Bytes));
        Assert.False(task.IsCompleted);
    }
}
