// RFC 7296 §1.4 INFORMATIONAL, initiator side (charon's informational task, build_i/process_i):
// status notifies we send on an established SA (FortiClient token updates); any answer completes it.
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Ike.Sa;

namespace PostureGate.Ike.Tasks;

internal sealed class InformationalRequest(IReadOnlyList<NotifyToSend> notifies, TaskCompletionSource<bool> done) : IIkeTask
{
    public ExchangeType Exchange => ExchangeType.Informational;
    public string Name => "informational";

    public IReadOnlyList<IkePayload>? Build(IkeSa sa) => [.. notifies.Select(n => new NotifyPayload((NotifyType)n.Type, n.Data))];

    /// <summary>Answered (true) or given up / SA gone (false).</summary>
    public void Process(IkeSa sa, IkeMessage? response) => done.TrySetResult(response is not null);
}
