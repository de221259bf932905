// RFC 5685 §3/§9.2 on the responder: who is redirected in IKE_SA_INIT, to where, and that a
// redirect or a draining refusal leaves no state. Requests are strongSwan 5.9.8's IKE_SA_INIT
// (it sends N(REDIRECT_SUPPORTED)), injected as a client at 198.51.100.2 would send them.
using System.Net;
using PostureGate.Ike.Config;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Ike.Tests.Messages;

namespace PostureGate.Ike.Tests.Exchange;

public class RedirectResponderTests
{
    private static readonly IPAddress B = IPAddress.Parse("198.51.100.3");
    private static readonly IPAddress C = IPAddress.Parse("198.51.100.4");

    private static ExchangeHarness Gateway(int threshold = 0, params IPAddress[] targets) => new(ExchangeHarness.GatewayConfig(c => c with
    {
        RedirectThreshold = threshold,
        RedirectTargets = targets.Length == 0 ? null : new StaticRedirectTargets(targets.Select(RedirectGateway.FromAddress)),
    }));

    // strongSwan's request; `edit` changes its notifies (drop REDIRECT_SUPPORTED, add REDIRECTED_FROM …).
    private static IkeMessage Answer(ExchangeHarness h, Func<List<IkePayload>, List<IkePayload>>? edit = null)
    {
        var request = StrongSwanMessages.IkeSaInitRequest();
        var payloads = edit is null ? [.. request.Payloads] : edit([.. request.Payloads]);
        var bytes = new IkeMessage(request.Header, payloads).Encode();
        h.Network.Inject(new Datagram(bytes, new IPEndPoint(ExchangeHarness.ClientAddress, 500), new IPEndPoint(ExchangeHarness.GatewayAddress, 500)));
        var answer = h.Network.Take();
        Assert.True(IkeMessage.TryParse(answer.Bytes, out var message, out var error), error.Reason);
        return message!;
    }

    private static List<IkePayload> WithoutRedirectSupported(List<IkePayload> p) =>
        [.. p.Where(x => x is not NotifyPayload { NotifyType: NotifyType.RedirectSupported })];

    private static Func<List<IkePayload>, List<IkePayload>> RedirectedFrom(IPAddress from) =>
        p => [.. WithoutRedirectSupported(p), RedirectData.RedirectedFrom(from)];

    private static byte[] Ni => StrongSwanMessages.IkeSaInitRequest().Find<NoncePayload>()!.Data;

    private static RedirectData SingleRedirect(IkeMessage m)
    {
        var n = Assert.IsType<NotifyPayload>(Assert.Single(m.Payloads));
        Assert.Equal(NotifyType.Redirect, n.NotifyType);
        Assert.True(RedirectData.TryParse(n.Data, out var data, out var reason), reason);
        return data!;
    }

    private static void AssertRefused(IkeMessage m) =>
        Assert.Equal(NotifyType.TemporaryFailure, Assert.IsType<NotifyPayload>(Assert.Single(m.Payloads)).NotifyType);

    private static void AssertServed(IkeMessage m)
    {
        Assert.NotNull(m.Find<SaPayload>());
        Assert.NotNull(m.Find<KePayload>());
        Assert.Null(m.FindNotify(NotifyType.Redirect));
    }

    [Fact]
    public void Draining_RedirectsWithTheInitiatorsNonce_AndKeepsNothing()
    {
        using var h = Gateway(0, B);
        h.Gateway.Redirect.Draining = true;
        var m = Answer(h);
        var redirect = SingleRedirect(m);
        Assert.Equal(B, redirect.Gateway.Address);
        Assert.Equal(Ni, redirect.Nonce);
        // §3: HDR(SPIi, 0) — stateless, like a COOKIE.
        Assert.Equal(StrongSwanMessages.SpiI, m.Header.InitiatorSpi);
        Assert.Equal(0UL, m.Header.ResponderSpi);
        Assert.True(m.IsResponse);
        Assert.Equal(0, h.Gateway.Count);
        Assert.Equal(0, h.Gateway.HalfOpenCount);
        Assert.Equal(1, h.Gateway.Redirect.Redirected);
    }

    [Fact]
    public void Draining_RefusesAClientThatCannotBeRedirected()
    {
        using var h = Gateway(0, B);
        h.Gateway.Redirect.Draining = true;
        AssertRefused(Answer(h, WithoutRedirectSupported));
        Assert.Equal(0, h.Gateway.Count);
        Assert.Equal(0, h.Gateway.Redirect.Redirected);
        Assert.Equal(1, h.Gateway.Redirect.RefusedWhileDraining);
    }

    [Fact]
    public void Draining_WithoutTargets_Refuses()
    {
        using var h = Gateway();
        h.Gateway.Redirect.Draining = true;
        AssertRefused(Answer(h));
        Assert.Equal(0, h.Gateway.Count);
    }

    [Fact]
    public void NotDraining_UnderTheThreshold_Serves()
    {
        using var h = Gateway(2, B);
        AssertServed(Answer(h));
        Assert.Equal(1, h.Gateway.HalfOpenCount);
        Assert.Equal(0, h.Gateway.Redirect.Redirected);
    }

    [Fact]
    public void DrainingOff_ServesAgain()
    {
        using var h = Gateway(0, B);
        h.Gateway.Redirect.Draining = true;
        SingleRedirect(Answer(h));
        h.Gateway.Redirect.Draining = false;
        AssertServed(Answer(h));
    }

    [Fact]
    public void AtTheThreshold_Redirects()
    {
        using var h = Gateway(1, B);
        // One tunnel already (PostureGate's own initiator: no REDIRECT_SUPPORTED, so served).
        Assert.True(h.Connect().Success);
        Assert.Equal(B, SingleRedirect(Answer(h)).Gateway.Address);
        Assert.Equal(1, h.Gateway.Count);
    }

    [Fact]
    public void AtTheThreshold_WithoutRedirectSupported_Serves()
    {
        using var h = Gateway(1, B);
        Assert.True(h.Connect().Success);
        AssertServed(Answer(h, WithoutRedirectSupported));
    }

    [Fact]
    public void AtTheThreshold_WithoutTargets_Serves()
    {
        using var h = Gateway(1);
        Assert.True(h.Connect().Success);
        AssertServed(Answer(h));
    }

    [Fact]
    public void RedirectedFrom_CountsAsSupport_AndIsNeverTheTarget()
    {
        using var h = Gateway(0, B, C);
        h.Gateway.Redirect.Draining = true;
        for (var i = 0; i < 3; i++)
            Assert.Equal(C, SingleRedirect(Answer(h, RedirectedFrom(B))).Gateway.Address);
    }

    [Fact]
    public void RedirectedFrom_TheOnlyTarget_Draining_Refuses()
    {
        using var h = Gateway(0, B);
        h.Gateway.Redirect.Draining = true;
        AssertRefused(Answer(h, RedirectedFrom(B)));
    }

    [Fact]
    public void RedirectedFrom_TheOnlyTarget_Loaded_Serves()
    {
        // §7: the second node does not send the client back; it takes it, loaded or not.
        using var h = Gateway(1, B);
        Assert.True(h.Connect().Success);
        AssertServed(Answer(h, RedirectedFrom(B)));
    }

    [Fact]
    public void AMalformedRedirectedFrom_IsNoSupport()
    {
        using var h = Gateway(0, B);
        h.Gateway.Redirect.Draining = true;
        AssertRefused(Answer(h, p => [.. WithoutRedirectSupported(p), new NotifyPayload(NotifyType.RedirectedFrom, [1, 9, 1, 2])]));
    }

    [Fact]
    public void ThisNodeInTheList_IsSkipped()
    {
        using var h = Gateway(0, ExchangeHarness.GatewayAddress, B);
        h.Gateway.Redirect.Draining = true;
        Assert.Equal(B, SingleRedirect(Answer(h)).Gateway.Address);
        Assert.Equal(B, SingleRedirect(Answer(h)).Gateway.Address);
    }
}
