// Where the responder logs what it does with IKE_AUTH notifies and refusals, as FortiOS does in the
// seed: notifies of the first IKE_AUTH before "peer identifier" (Example 1), notifies of the AUTH
// after EAP after "authentication succeeded" (Example 2), the tunnel's notify (ZTNA_TAG) under the
// instance's name, and one "Negotiate SA Error" line in FortiOS's form before the refusal's own line.
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Ike.Sa;

namespace PostureGate.Ike.Tests.Exchange;

public class AuthDebugOrderTests
{
    private const ushort Connect = 40961;
    private const ushort Tag = 40962;

    private static readonly IkeSaManagerOptions Describing = new()
    {
        PrivateNotifyNames = t => t switch { Connect => "FORTICLIENT_CONNECT", Tag => "ZTNA_TAG", _ => null },
        DescribeNotify = (t, data) => t == Connect ? [$"received FCT data len = {data.Length}"] : [],
        TunnelNotify = t => t == Tag,
    };

    private static readonly NotifyToSend[] Notifies = [new(Connect, "VER=1"u8.ToArray()), new(Tag, "eyJ"u8.ToArray())];

    private static List<string> Messages(ExchangeHarness h) =>
        [.. h.GatewayDebug.Lines.Select(l => l[(l.IndexOf(": ", StringComparison.Ordinal) + 2)..])];

    private static int IndexOf(List<string> lines, string text, int from = 0) => lines.FindIndex(from, l => l == text);

    [Fact]
    public void NotifiesOfTheFirstIkeAuthAreLoggedBeforeThePeersId()
    {
        using var h = new ExchangeHarness(hook: AllowAll(), gatewayOptions: Describing);

        Assert.True(h.Connect(ExchangeHarness.Alice() with { AuthNotifies = Notifies }).Success);

        var m = Messages(h);
        var connect = IndexOf(m, "processing notify type FORTICLIENT_CONNECT");
        Assert.True(connect >= 0, string.Join("\n", m));
        Assert.Equal(connect + 1, IndexOf(m, "received FCT data len = 5"));
        Assert.True(connect < m.FindIndex(l => l.StartsWith("peer identifier", StringComparison.Ordinal)));
        // The token is the tunnel's: logged once the instance is named, after authentication.
        var tag = h.GatewayDebug.Lines.Single(l => l.EndsWith("processing notify type ZTNA_TAG", StringComparison.Ordinal));
        Assert.StartsWith("ike V=root:0:dialup_0:", tag);
        Assert.True(IndexOf(m, "authentication succeeded") < IndexOf(m, "processing notify type ZTNA_TAG"));
    }

    [Fact]
    public void NotifiesOfTheLastIkeAuthAreLoggedAfterAuthenticationSucceeded()
    {
        using var h = new ExchangeHarness(hook: AllowAll(), gatewayOptions: Describing);

        Assert.True(h.Connect(ExchangeHarness.Alice() with { AuthNotifies = Notifies, AuthNotifiesInLastRequest = true }).Success);

        var lines = h.GatewayDebug.Lines.ToList();
        var m = Messages(h);
        var succeeded = IndexOf(m, "authentication succeeded");
        var connect = IndexOf(m, "processing notify type FORTICLIENT_CONNECT");
        Assert.True(succeeded >= 0 && connect == succeeded + 1, string.Join("\n", lines));
        // FORTICLIENT_CONNECT under the phase1's name, ZTNA_TAG under the instance's (the seed's Example 2).
        Assert.StartsWith("ike V=root:0:dialup:", lines[connect]);
        Assert.StartsWith("ike V=root:0:dialup_0:", lines[IndexOf(m, "processing notify type ZTNA_TAG")]);
    }

    [Fact]
    public void ARefusalPrintsOneNegotiateErrorInFortiOsFormThenItsOwnLine()
    {
        var hook = new Hook(_ => Task.FromResult<PostAuthenticationDecision>(
            new PostAuthenticationDecision.Deny(16128, [], "EMS ZTNA tags check failed: no tag resolves the endpoint")
            {
                Error = "EMS ZTNA tags check failed",
                Sending = ["sending IKE_AUTH ZTNA TAGS check failure notification response"],
            }));
        using var h = new ExchangeHarness(hook: hook, gatewayOptions: Describing);

        Assert.False(h.Connect(ExchangeHarness.Alice() with { AuthNotifies = Notifies }).Success);

        var lines = h.GatewayDebug.Lines.ToList();
        var error = Assert.Single(lines, l => l.Contains("Negotiate SA Error", StringComparison.Ordinal));
        Assert.Equal("ike V=root:dialup_0 Negotiate SA Error: EMS ZTNA tags check failed", error);
        Assert.EndsWith(": sending IKE_AUTH ZTNA TAGS check failure notification response", lines[lines.IndexOf(error) + 1]);
    }

    private static Hook AllowAll() => new(_ => Task.FromResult<PostAuthenticationDecision>(PostAuthenticationDecision.Allowed));

    private sealed class Hook(Func<PostAuthenticationContext, Task<PostAuthenticationDecision>> decide) : IPostAuthenticationHook
    {
        public ValueTask<PostAuthenticationDecision> OnAuthenticatedAsync(PostAuthenticationContext context, CancellationToken cancellationToken) =>
            new(decide(context));
    }
}
