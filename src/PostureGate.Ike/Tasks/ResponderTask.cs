// The responder half of IIkeTask made plain (charon's process_r/build_r pair): Process works out
// the answer to the request, Build hands its payloads to the sender, Responded runs what was to
// happen after it went out. An answer decided later (an async hook) is given with AnswerLater.
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Ike.Sa;

namespace PostureGate.Ike.Tasks;

/// <summary>The response's payloads and what happens once it was sent (null: nothing).</summary>
internal readonly record struct ResponderAnswer(IReadOnlyList<IkePayload> Payloads, Action? After = null);

internal abstract class ResponderTask : IIkeResponderTask
{
    private ResponderAnswer? _answer;

    public abstract ExchangeType Exchange { get; }
    public abstract string Name { get; }
    public virtual bool NeedsMore => false;

    /// <summary>The answer to <paramref name="request"/>, or null when it will be given later (<see cref="AnswerLater"/>).</summary>
    protected abstract ResponderAnswer? Answer(IkeSa sa, IkeMessage request);

    public void Process(IkeSa sa, IkeMessage? message) => _answer = Answer(sa, message!);

    public IReadOnlyList<IkePayload>? Build(IkeSa sa) => _answer?.Payloads;

    public void Responded(IkeSa sa)
    {
        var after = _answer?.After;
        _answer = null;
        after?.Invoke();
    }

    /// <summary>Sends the answer decided after Process returned (under the SA's gate).</summary>
    protected void AnswerLater(IkeTaskContext m, IkeSa sa, ResponderAnswer answer)
    {
        _answer = answer;
        m.Outbound.AnswerPending(sa, this);
    }
}
