// IkeTaskManager's responder side (charon's task_manager_v2 process_request): which task answers a request.
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
}
