// The shape of every exchange (charon's task_t, RFC 7296 §1.2-§1.4): two steps, run in the order the
// role dictates. Initiator: Build makes the request's payloads when the task gets the window (§2.3,
// window 1), Process takes the response (null when none will come: retransmits gave up, or the SA
// went); a task that needs more (charon's NEED_MORE: a COOKIE retry, EAP rounds) builds the next
// request before any queued task starts. Responder: Process takes the request, Build makes the
// response's payloads, Responded runs once the response is on the wire (what the exchange decided
// happens to the SA then).
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Ike.Sa;

namespace PostureGate.Ike.Tasks;

internal interface IIkeTask
{
    ExchangeType Exchange { get; }

    /// <summary>The task's name in the queue ("dpd", "ike_delete", "ike_auth", …); DPD probes retransmit on the DPD schedule.</summary>
    string Name { get; }

    /// <summary>
    /// Initiator: the request's payloads; null when there is nothing to send any more (the next task starts).
    /// Responder: the response's payloads; null while the answer waits (IKE_AUTH's post-authentication decision).
    /// </summary>
    IReadOnlyList<IkePayload>? Build(IkeSa sa);

    /// <summary>Initiator: the response to our request, or null when none will come. Responder: the peer's request.</summary>
    void Process(IkeSa sa, IkeMessage? message);

    /// <summary>
    /// Initiator: after Process, the exchange goes on with another request from this task (§2.6 COOKIE, §2.16 EAP).
    /// Responder: the next request of this exchange belongs to this task too (IKE_AUTH's EAP rounds, §2.16).
    /// </summary>
    bool NeedsMore => false;
}

/// <summary>A task that answers the peer's requests of one exchange type.</summary>
internal interface IIkeResponderTask : IIkeTask
{
    /// <summary>The response went out: establish, destroy or report what the exchange decided.</summary>
    void Responded(IkeSa sa);
}
