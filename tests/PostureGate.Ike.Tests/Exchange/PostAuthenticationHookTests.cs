// The posture gate's extension point: called after AUTH, before CP lease and CHILD_SA.
using PostureGate.Ike.Messages;
using PostureGate.Ike.Sa;

namespace PostureGate.Ike.Tests.Exchange;

public class PostAuthenticationHookTests
{
    private sealed class Hook(Func<PostAuthenticationContext, Task<PostAuthenticationDecision>> decide) : IPostAuthenticationHook
    {
        public List<PostAuthenticationContext> Seen { get; } = [];

        public ValueTask<PostAuthenticationDecision> OnAuthenticatedAsync(PostAuthenticationContext context, CancellationToken cancellationToken)
        {
            Seen.Add(context);
            return new ValueTask<PostAuthenticationDecision>(decide(context));
        }
    }

    private const ushort FortiClientConnect = 40961; // a private-use status type, as FortiClient sends

    [Fact]
    public void DenyAnswersTheErrorNotifyWithoutChildOrLease()
    {
        var hook = new Hook(_ => Task.FromResult<PostAuthenticationDecision>(new PostAuthenticationDecision.Deny(40962, "tags"u8.ToArray(), "EMS ZTNA tags check failed")));
        using var h = new ExchangeHarness(hook: hook);
        var result = h.Connect(ExchangeHarness.Alice() with { AuthNotifies = [new NotifyToSend(FortiClientConnect, "VER=1"u8.ToArray())] });
        Assert.False(result.Success);
        Assert.Empty(h.GatewayInstaller.Installed);
        Assert.Equal(0, h.GatewayConfigUsed.AddressPool!.LeasedCount);
        Assert.Empty(h.Gateway.Snapshot());
        var context = Assert.Single(hook.Seen);
        Assert.Equal("dialup_0", context.InstanceName);
        Assert.Equal("alice", context.EapIdentity);
        Assert.Contains(context.Notifies, n => n.Type == FortiClientConnect && n.Data.AsSpan().SequenceEqual("VER=1"u8));
        Assert.Contains(context.Notifies, n => n.Type == (ushort)NotifyType.InitialContact);
        Assert.Contains("ike V=root:dialup_0 Negotiate SA Error: EMS ZTNA tags check failed", h.GatewayDebug.Lines);
    }

    [Fact]
    public void NotifiesInTheLastIkeAuthRequestReachTheHook()
    {
        // FortiClient may send FORTICLIENT_CONNECT / ZTNA_TAG beside the final AUTH, after the EAP rounds (issue 11).
        var hook = new Hook(_ => Task.FromResult<PostAuthenticationDecision>(new PostAuthenticationDecision.Allow([])));
        using var h = new ExchangeHarness(hook: hook);
        var result = h.Connect(ExchangeHarness.Alice() with
        {
            AuthNotifies = [new NotifyToSend(FortiClientConnect, "VER=1"u8.ToArray())],
            AuthNotifiesInLastRequest = true,
        });
        Assert.True(result.Success, result.Error);
        var context = Assert.Single(hook.Seen);
        Assert.Contains(context.Notifies, n => n.Type == FortiClientConnect && n.Data.AsSpan().SequenceEqual("VER=1"u8));
        Assert.Contains(context.Notifies, n => n.Type == (ushort)NotifyType.InitialContact);
    }

    [Fact]
    public void ARepeatedNotifyTypeKeepsTheFirst()
    {
        var hook = new Hook(_ => Task.FromResult<PostAuthenticationDecision>(new PostAuthenticationDecision.Allow([])));
        using var h = new ExchangeHarness(hook: hook);
        var result = h.Connect(ExchangeHarness.Alice() with
        {
            AuthNotifies = [new NotifyToSend(FortiClientConnect, "VER=1"u8.ToArray()), new NotifyToSend(FortiClientConnect, "VER=2"u8.ToArray())],
        });
        Assert.True(result.Success, result.Error);
        var connect = Assert.Single(Assert.Single(hook.Seen).Notifies, n => n.Type == FortiClientConnect);
        Assert.Equal("VER=1"u8.ToArray(), connect.Data);
    }

    [Fact]
    public void AllowAddsExtraNotifies()
    {
        var hook = new Hook(c =>
        {
            c.SetFortiClientUid!("6108A9179A5C40D7BD57504E15114C1F");
            return Task.FromResult<PostAuthenticationDecision>(new PostAuthenticationDecision.Allow([new NotifyToSend(40970, [1, 2, 3])]));
        });
        using var h = new ExchangeHarness(hook: hook);
        var result = h.Connect();
        Assert.True(result.Success, result.Error);
        Assert.Contains(result.Notifies, n => n.Type == 40970 && n.Data.AsSpan().SequenceEqual(new byte[] { 1, 2, 3 }));
        Assert.Single(h.GatewayInstaller.Installed);
        Assert.Equal("6108A9179A5C40D7BD57504E15114C1F", Assert.Single(h.Gateway.Snapshot()).FortiClientUid);
    }

    [Fact]
    public async Task SlowHookDoesNotBlockOtherPeers()
    {
        var gate = new TaskCompletionSource<PostAuthenticationDecision>(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = true;
        var hook = new Hook(_ =>
        {
            if (!first)
                return Task.FromResult<PostAuthenticationDecision>(PostAuthenticationDecision.Allowed);
            first = false;
            return gate.Task;
        });
        using var h = new ExchangeHarness(hook: hook);
        var slow = h.Client.InitiateAsync(ExchangeHarness.Alice() with { InitialContact = false });
        h.Network.Pump();
        Assert.False(slow.IsCompleted); // waiting for the hook; its final request is unanswered

        // Meanwhile a second client connects completely.
        var fast = h.Connect(ExchangeHarness.Alice(port: 700) with { Local = new(ExchangeHarness.ClientAddress, 700), InitialContact = false });
        Assert.True(fast.Success, fast.Error);

        gate.SetResult(PostAuthenticationDecision.Allowed);
        for (var i = 0; i < 500 && h.Network.Pending == 0; i++)
            await Task.Delay(10);
        h.Network.Pump();
        var result = await slow;
        Assert.True(result.Success, result.Error);
        Assert.Equal(2, h.Gateway.Snapshot().Count);
    }
    private sealed class PendingHook : IPostAuthenticationHook
    {
        public TaskCompletionSource<PostAuthenticationDecision> Decision { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public List<CancellationToken> Tokens { get; } = [];

        public ValueTask<PostAuthenticationDecision> OnAuthenticatedAsync(PostAuthenticationContext context, CancellationToken cancellationToken)
        {
            Tokens.Add(cancellationToken);
            return Tokens.Count == 1 ? new ValueTask<PostAuthenticationDecision>(Decision.Task) : ValueTask.FromResult<PostAuthenticationDecision>(PostAuthenticationDecision.Allowed);
        }
    }

    // Issue 10 finding 4: the half-open timer destroyed an SA whose decision was still running; the
    // decision went on, unaware, while the SA's instance name went to the next client.
    [Fact]
    public async Task SaDestroyedDuringTheDecision_CancelsIt_BeforeItsNameGoesToTheNextSa()
    {
        var hook = new PendingHook();
        using var h = new ExchangeHarness(hook: hook, gatewayOptions: new IkeSaManagerOptions { HookTimeout = TimeSpan.FromMinutes(10) });
        var cancelledWhenDeleted = new List<bool>();
        h.Gateway.IkeSaDeleted += _ => cancelledWhenDeleted.Add(hook.Tokens[0].IsCancellationRequested);
        var first = h.Client.InitiateAsync(ExchangeHarness.Alice() with { InitialContact = false });
        h.Network.Pump();
        Assert.False(first.IsCompleted);

        h.Elapse(h.GatewayConfigUsed.HalfOpenTimeout + TimeSpan.FromSeconds(1));

        Assert.Equal([true], cancelledWhenDeleted);
        Assert.Empty(h.Gateway.Snapshot());
        var next = h.Connect(ExchangeHarness.Alice(port: 700) with { Local = new(ExchangeHarness.ClientAddress, 700), InitialContact = false });
        Assert.True(next.Success, next.Error);
        Assert.Equal("dialup_0", Assert.Single(h.Gateway.Snapshot()).Name);
        Assert.False(hook.Tokens[1].IsCancellationRequested);

        // The abandoned decision comes in late: it changes nothing.
        hook.Decision.SetResult(PostAuthenticationDecision.Allowed);
        await Task.Delay(50);
        h.Network.Pump();
        Assert.Equal("dialup_0", Assert.Single(h.Gateway.Snapshot()).Name);
    }
}
