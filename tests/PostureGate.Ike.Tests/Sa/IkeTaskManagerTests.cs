// IkeTaskManager (charon's task_manager_v2): which task answers a request (responder), which builds the next request (initiator).
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Ike.Sa;
using PostureGate.Ike.Tasks;

namespace PostureGate.Ike.Tests.Sa;

public class IkeTaskManagerTests
{
    private sealed class FakeResponder(ExchangeType exchange, bool needsMore) : IIkeResponderTask
    {
        public ExchangeType Exchange => exchange;
        public string Name => exchange.ToString();
        public bool NeedsMore => needsMore;
        public IReadOnlyList<IkePayload>? Build(IkeSa sa) => [];
        public void Process(IkeSa sa, IkeMessage? message) { }
        public void Responded(IkeSa sa) { }
    }

    private static IIkeResponderTask? Create(ExchangeType exchange) =>
        new FakeResponder(exchange, needsMore: exchange == ExchangeType.IkeAuth);

    [Fact]
    public void MultiRoundTaskAnswersEveryRequestOfItsExchange()
    {
        var tasks = new IkeTaskManager();
        var first = tasks.ResponderFor(ExchangeType.IkeAuth, Create)!;
        tasks.Answered(first);

        Assert.Same(first, tasks.ResponderFor(ExchangeType.IkeAuth, Create));
    }

    [Fact]
    public void RequestOfAnotherExchangeInBetweenLeavesTheRunningTaskAlone()
    {
        // An INFORMATIONAL between two EAP rounds (RFC 7296 §2.3 allows it) must not restart IKE_AUTH.
        var tasks = new IkeTaskManager();
        var auth = tasks.ResponderFor(ExchangeType.IkeAuth, Create)!;
        tasks.Answered(auth);
        var info = tasks.ResponderFor(ExchangeType.Informational, Create)!;
        tasks.Answered(info);

        Assert.NotSame(auth, info);
        Assert.Same(auth, tasks.ResponderFor(ExchangeType.IkeAuth, Create));
    }

    [Fact]
    public void SingleRoundTasksAreNewForEachRequest()
    {
        var tasks = new IkeTaskManager();
        var first = tasks.ResponderFor(ExchangeType.CreateChildSa, Create)!;
        tasks.Answered(first);

        Assert.NotSame(first, tasks.ResponderFor(ExchangeType.CreateChildSa, Create));
    }

    private sealed class FakeInitiator(ExchangeType exchange) : IIkeTask
    {
        public ExchangeType Exchange => exchange;
        public string Name => exchange.ToString();
        public IReadOnlyList<IkePayload>? Build(IkeSa sa) => [];
        public void Process(IkeSa sa, IkeMessage? message) { }
    }

    [Fact]
    public void TaskThatNeedsMoreGoesBeforeTheQueuedOnes()
    {
        // A COOKIE retry of IKE_SA_INIT (RFC 7296 §2.6) must go out before the queued IKE_AUTH.
        var tasks = new IkeTaskManager();
        var init = new FakeInitiator(ExchangeType.IkeSaInit);
        var auth = new FakeInitiator(ExchangeType.IkeAuth);
        tasks.Enqueue(auth);
        tasks.Continue(init);

        Assert.False(tasks.IsIdle);
        Assert.True(tasks.TryDequeue(out var first));
        Assert.Same(init, first);
        Assert.True(tasks.TryDequeue(out var second));
        Assert.Same(auth, second);
        Assert.True(tasks.IsIdle);
    }

    [Fact]
    public void ClearingTheQueueDropsTheTaskThatNeededMore()
    {
        var tasks = new IkeTaskManager();
        tasks.Continue(new FakeInitiator(ExchangeType.IkeAuth));
        tasks.ClearQueued();

        Assert.True(tasks.IsIdle);
        Assert.False(tasks.TryDequeue(out _));
    }
}
