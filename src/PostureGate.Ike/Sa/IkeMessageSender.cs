// The IKE message sender (charon's sender + the retransmission side of its task manager):
// responses cached for retransmitted requests (RFC 7296 §2.1), our requests one at a time with
// the rest queued (§2.3 window 1) and retransmitted on TimeProvider until answered or given up.
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Ike.Tasks;

namespace PostureGate.Ike.Sa;

internal sealed class IkeMessageSender(IkeSaManager m)
{
    /// <summary>Sends a response and caches it for retransmitted requests; the window moves on.</summary>
    internal void Respond(IkeSa sa, IkeMessage request, byte[] requestHash, IReadOnlyList<IkePayload> payloads)
    {
        var header = new IkeHeader(sa.SpiI, sa.SpiR, PayloadType.NoNextPayload, request.Header.Exchange,
            (sa.IsInitiator ? IkeHeaderFlags.Initiator : IkeHeaderFlags.None) | IkeHeaderFlags.Response, request.Header.MessageId, 0);
        var datagrams = IkeWire.Encode(sa, header, payloads);
        if (request.Header.Exchange == ExchangeType.IkeSaInit)
            sa.RecordInitResponse(datagrams[0]);
        sa.LastResponse = new CachedResponse(request.Header.MessageId, requestHash, datagrams);
        sa.ExpectedPeerRequestId = request.Header.MessageId + 1;
        foreach (var d in datagrams)
            Send(sa, d);
    }

    /// <summary>
    /// Responder side of the task shape: the task processes the peer's request, then its response is built
    /// and sent, then the task finishes what the exchange decided. A task with no answer yet answers later
    /// through <see cref="AnswerPending"/>.
    /// </summary>
    internal void Answer(IkeSa sa, IIkeResponderTask task, IkeMessage request, byte[] requestHash)
    {
        sa.Tasks.BeginAnswer(request, requestHash);
        task.Process(sa, request);
        AnswerPending(sa, task);
    }

    /// <summary>Sends the response of the request being answered, when the task has it.</summary>
    internal void AnswerPending(IkeSa sa, IIkeResponderTask task)
    {
        if (sa.Tasks.Answering is not { } answering || task.Build(sa) is not { } payloads)
            return;
        Respond(sa, answering.Request, answering.Hash, payloads);
        sa.Tasks.Answered(task);
        task.Responded(sa);
    }

    /// <summary>The one place where a request we cannot process becomes an error Notify (§2.21.2).</summary>
    internal void RespondError(IkeSa sa, IkeHeader requestHeader, ReadOnlySpan<byte> requestBytes, NotifyType type, byte[]? data)
    {
        var request = new IkeMessage(requestHeader);
        m.Debug.Sa(sa.LogName, sa.Serial, $"sending {type.IanaName()} notify");
        Respond(sa, request, IkeReceiver.HashRequest(requestBytes), [new NotifyPayload(type, data)]);
    }

    internal void Send(IkeSa sa, byte[] datagram)
    {
        sa.LastOutbound = m.Now;
        m.Sender.Send(datagram, sa.Local, sa.Remote);
    }

    /// <summary>
    /// Starts <paramref name="task"/> now when the window is free, else queues it behind the others (window 1);
    /// its request is retransmitted until answered or given up.
    /// </summary>
    internal void Request(IkeSa sa, IIkeTask task)
    {
        if (sa.Tasks.IsIdle)
            Start(sa, task);
        else
            sa.Tasks.Enqueue(task);
    }

    /// <summary>The response to <paramref name="task"/>'s request arrived: the task processes it, then it or the next task goes on.</summary>
    internal void Responded(IkeSa sa, IIkeTask task, IkeMessage response)
    {
        task.Process(sa, response);
        if (task.NeedsMore && sa.State != IkeSaState.Destroyed)
            sa.Tasks.Continue(task);
        StartNext(sa);
    }

    internal void StartNext(IkeSa sa)
    {
        if (sa.Tasks.Active is null && sa.State != IkeSaState.Destroyed && sa.Tasks.TryDequeue(out var next))
            Start(sa, next);
    }

    private void Start(IkeSa s, IIkeTask task)
    {
        var payloads = task.Build(s);
        if (payloads is null || s.State == IkeSaState.Destroyed)
        {
            StartNext(s);
            return;
        }
        var exchange = task.Exchange;
        var header = new IkeHeader(s.SpiI, s.SpiR, PayloadType.NoNextPayload, exchange,
            s.IsInitiator ? IkeHeaderFlags.Initiator : IkeHeaderFlags.None, s.NextRequestId, 0);
        var datagrams = IkeWire.Encode(s, header, payloads);
        if (exchange == ExchangeType.IkeSaInit)
            s.RecordInitRequest(datagrams[0]);
        var pending = new PendingRequest { MessageId = s.NextRequestId, Datagrams = datagrams, Exchange = exchange, Task = task };
        s.Tasks.Active = pending;
        foreach (var d in datagrams)
            Send(s, d);
        ArmRetransmit(s, pending, exchange == ExchangeType.Informational && task.Name == "dpd");
    }

    private void ArmRetransmit(IkeSa sa, PendingRequest pending, bool dpd)
    {
        // DPD probes follow FortiOS: dpd-retrycount retries every dpd-retryinterval.
        var tries = dpd ? sa.Config.DpdRetryCount : m.Options.Retransmit.Tries;
        TimeSpan Delay(int attempt) => dpd ? sa.Config.DpdRetryInterval : m.Options.Retransmit.Delay(attempt);
        pending.Timer = m.Time.CreateTimer(_ =>
        {
            lock (sa.Gate)
            {
                if (sa.Tasks.Active != pending || sa.State == IkeSaState.Destroyed)
                    return;
                if (pending.Attempt >= tries)
                {
                    m.Debug.Sa(sa.LogName, sa.Serial, dpd ? "DPD timed out, peer is dead" : "giving up after retransmits");
                    sa.Tasks.Active = null;
                    pending.Timer?.Dispose();
                    pending.Task.Process(sa, null);
                    m.Destroy(sa, dpd ? "dpd timeout" : "retransmit timeout");
                    return;
                }
                pending.Attempt++;
                m.Debug.Sa(sa.LogName, sa.Serial, $"retransmitting request {pending.MessageId} (attempt {pending.Attempt})");
                foreach (var d in pending.Datagrams)
                    Send(sa, d);
                pending.Timer?.Change(Delay(pending.Attempt), Timeout.InfiniteTimeSpan);
            }
        }, null, Delay(0), Timeout.InfiniteTimeSpan);
    }
}
