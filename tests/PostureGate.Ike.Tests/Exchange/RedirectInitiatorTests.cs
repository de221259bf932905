// RFC 5685 on the initiator (IkeInitRedirectFollower) and end to end with two gateways on one
// in-memory network: A (198.51.100.1, the harness's gateway) redirects, B (198.51.100.3) serves.
using System.Net;
using PostureGate.Ike.Config;
using PostureGate.Ike.Kernel;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Ike.Sa;
using PostureGate.Ike.Tasks;

namespace PostureGate.Ike.Tests.Exchange;

public sealed class RedirectInitiatorTests : IDisposable
{
    private static readonly IPAddress B = IPAddress.Parse("198.51.100.3");
    private readonly ExchangeHarness _h;
    private readonly IkeSaManager _b;
    private readonly List<string> _notices = [];

    public RedirectInitiatorTests()
    {
        _h = new ExchangeHarness(ExchangeHarness.GatewayConfig(c => c with
        {
            RedirectTargets = new StaticRedirectTargets([RedirectGateway.FromAddress(B)]),
        }));
        _b = new IkeSaManager([ExchangeHarness.GatewayConfig()], _h.Network.SenderFor(), new InMemoryChildSaInstaller(),
            new IkeSaManagerOptions { Time = _h.Time, RekeyJitter = 0 });
        _h.Network.Attach(B, _b);
    }

    public void Dispose()
    {
        _b.Dispose();
        _h.Dispose();
    }

    private IkeInitiatorOptions Following() => ExchangeHarness.Alice() with { FollowRedirects = true, RedirectNotice = _notices.Add };

    private static IkeMessage Parse(Datagram d) => IkeMessage.TryParse(d.Bytes, out var m, out var e) ? m! : throw new InvalidOperationException(e.Reason);

    private IEnumerable<IkeMessage> InitRequestsTo(IPAddress gateway) =>
        _h.Network.Sent.Where(d => d.To.Address.Equals(gateway) && d.Exchange == ExchangeType.IkeSaInit && !d.Header.IsResponse).Select(Parse);

    [Fact]
    public void Announces_RedirectSupported()
    {
        _ = _h.Client.InitiateAsync(Following());
        var request = Parse(_h.Network.Peek()!);
        Assert.True(request.HasNotify(NotifyType.RedirectSupported));
        Assert.False(request.HasNotify(NotifyType.RedirectedFrom));
    }

    [Fact]
    public void WithoutFollowRedirects_AnnouncesNothing()
    {
        _ = _h.Client.InitiateAsync(ExchangeHarness.Alice());
        Assert.False(Parse(_h.Network.Peek()!).HasNotify(NotifyType.RedirectSupported));
    }

    [Fact]
    public void DrainingA_SendsTheClientToB_WhereTheTunnelComesUp()
    {
        _h.Gateway.Redirect.Draining = true;
        var result = _h.Connect(Following());
        Assert.True(result.Success, result.Error);
        Assert.Equal(B, result.Gateway!.Address);
        Assert.Equal(0, _h.Gateway.Count);
        Assert.Equal(1, _b.Count);
        Assert.Single(_h.ClientInstaller.Installed);
        // §3: the request to B names A in REDIRECTED_FROM instead of REDIRECT_SUPPORTED, with a fresh Ni.
        var toB = Assert.Single(InitRequestsTo(B));
        Assert.False(toB.HasNotify(NotifyType.RedirectSupported));
        Assert.True(RedirectData.TryParse(toB.FindNotify(NotifyType.RedirectedFrom)!.Data, out var from, out _));
        Assert.Equal(ExchangeHarness.GatewayAddress, from!.Gateway.Address);
        Assert.NotEqual(Assert.Single(InitRequestsTo(ExchangeHarness.GatewayAddress)).Find<NoncePayload>()!.Data, toB.Find<NoncePayload>()!.Data);
        Assert.Equal(["198.51.100.1 redirected us to 198.51.100.3 (RFC 5685)"], _notices);
    }

    [Fact]
    public async Task ARedirectWithAnotherNonce_IsIgnored_AndTheSameGatewayAskedAgain()
    {
        var task = _h.Client.InitiateAsync(Following());
        var request = _h.Network.Take(); // the real request never arrives
        // Someone who knows SPIi but not Ni: a REDIRECT to B with a nonce of its own.
        Inject(RedirectAnswer(request, B, new byte[32]));
        _h.Network.Pump();
        var result = await Done(task);
        Assert.True(result.Success, result.Error);
        Assert.Equal(ExchangeHarness.GatewayAddress, result.Gateway!.Address);
        Assert.Equal(0, _b.Count);
        Assert.Contains(_notices, n => n.Contains("whose nonce is not our Ni", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AMalformedRedirect_IsIgnoredLikeAForgedOne()
    {
        var task = _h.Client.InitiateAsync(Following());
        var request = _h.Network.Take();
        Inject(Answer(request, new NotifyPayload(NotifyType.Redirect, [1, 200, 1, 2, 3])));
        _h.Network.Pump();
        Assert.True((await Done(task)).Success);
        Assert.Contains(_notices, n => n.Contains("malformed REDIRECT", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Redirects_AreBounded()
    {
        var task = _h.Client.InitiateAsync(Following());
        // A chain of gateways, each sending the client on with its own Ni echoed: .10, .11, …
        for (var hop = 0; hop <= IkeInitRedirectFollower.MaxRedirects; hop++)
        {
            var request = _h.Network.Take();
            Inject(RedirectAnswer(request, IPAddress.Parse($"198.51.100.{10 + hop}"), Parse(request).Find<NoncePayload>()!.Data));
        }
        var result = await Done(task);
        Assert.False(result.Success);
        Assert.Contains("more than 5 redirects", result.Error);
        Assert.Equal(0, _h.Network.Pending);
    }

    [Fact]
    public async Task ARedirectToAName_IsNotFollowed()
    {
        var task = _h.Client.InitiateAsync(Following());
        var request = _h.Network.Take();
        Assert.True(RedirectGateway.TryParse("vpn-b.pg.example", out var name, out _));
        Inject(Answer(request, RedirectData.Redirect(name!, Parse(request).Find<NoncePayload>()!.Data)));
        var result = await Done(task);
        Assert.False(result.Success);
        Assert.Contains("addresses only", result.Error);
    }

    [Fact]
    public async Task ARedirectToItself_EndsTheSetup()
    {
        var task = _h.Client.InitiateAsync(Following());
        var request = _h.Network.Take();
        Inject(RedirectAnswer(request, ExchangeHarness.GatewayAddress, Parse(request).Find<NoncePayload>()!.Data));
        Assert.Contains("to itself", (await Done(task)).Error);
    }

    [Fact]
    public async Task ARedirect_WithoutFollowRedirects_EndsTheSetup()
    {
        var task = _h.Client.InitiateAsync(ExchangeHarness.Alice());
        var request = _h.Network.Take();
        Inject(RedirectAnswer(request, B, Parse(request).Find<NoncePayload>()!.Data));
        var result = await Done(task);
        Assert.False(result.Success);
        Assert.Contains("did not offer to follow", result.Error);
        Assert.Equal(0, _h.Network.Pending);
    }

    [Fact]
    public void AClientThatDoesNotFollow_IsServedByTheLoadedGatewayInstead()
    {
        // Over the threshold A would redirect; a client without REDIRECT_SUPPORTED gets its tunnel on A all the same.
        using var h = new ExchangeHarness(ExchangeHarness.GatewayConfig(c => c with
        {
            RedirectThreshold = 1,
            RedirectTargets = new StaticRedirectTargets([RedirectGateway.FromAddress(B)]),
        }));
        Assert.True(h.Connect().Success);
        var second = h.Connect(ExchangeHarness.Alice(port: 501) with { Local = new IPEndPoint(ExchangeHarness.ClientAddress, 501), InitialContact = false });
        Assert.True(second.Success, second.Error);
        Assert.Equal(ExchangeHarness.GatewayAddress, second.Gateway!.Address);
        Assert.Equal(2, h.Gateway.Count);
    }

    // The answer to an IKE_SA_INIT request as its destination would send it: HDR(SPIi, 0) and one notify.
    private static Datagram Answer(Datagram request, NotifyPayload notify)
    {
        var header = request.Header;
        var bytes = new IkeMessage(new IkeHeader(header.InitiatorSpi, 0, PayloadType.NoNextPayload, ExchangeType.IkeSaInit,
            IkeHeaderFlags.Response, 0, 0), [notify]).Encode();
        return new Datagram(bytes, request.To, request.From);
    }

    private static Datagram RedirectAnswer(Datagram request, IPAddress to, byte[] nonce) =>
        Answer(request, RedirectData.Redirect(RedirectGateway.FromAddress(to), nonce));

    private void Inject(Datagram d) => _h.Network.Inject(d);

    // The in-memory exchange runs synchronously: the setup has ended once the network is quiet.
    private static Task<IkeInitiateResult> Done(Task<IkeInitiateResult> task)
    {
        Assert.True(task.IsCompleted, "the setup has not ended");
        return task;
    }
}
