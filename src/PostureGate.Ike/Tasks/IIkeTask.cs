// The shape of an exchange we initiate (charon's task_t, initiator side): Build makes the
// request's payloads when the task gets the window (RFC 7296 §2.3, window 1), Process takes the
// response, or null when none will come (retransmits gave up, or the SA went).
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Ike.Sa;

namespace PostureGate.Ike.Tasks;

internal interface IIkeTask
{
    ExchangeType Exchange { get; }

    /// <summary>The task's name in the queue ("dpd", "ike_delete", …); DPD probes retransmit on the DPD schedule.</summary>
    string Name { get; }

    /// <summary>The request's payloads; null when there is nothing to send any more (the next task starts).</summary>
    IReadOnlyList<IkePayload>? Build(IkeSa sa);

    /// <summary>The response to our request, or null when none will come.</summary>
    void Process(IkeSa sa, IkeMessage? response);
}
