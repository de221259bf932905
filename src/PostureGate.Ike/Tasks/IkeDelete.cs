// RFC 7296 §1.4.1 deleting the IKE SA (charon's ike_delete): INFORMATIONAL { D(IKE) }; the
// answer is an empty INFORMATIONAL and both ends forget the SA and all its CHILD_SAs.
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Ike.Sa;

namespace PostureGate.Ike.Tasks;

internal static class IkeDelete
{
    /// <summary>Sends the Delete and destroys the SA when answered (or when retransmits give up).</summary>
    public static void Start(IkeTaskContext m, IkeSa sa, string reason, TaskCompletionSource<bool>? done = null)
    {
        if (sa.State == IkeSaState.Deleting || sa.Keys is null)
        {
            m.Destroy(sa, reason);
            done?.TrySetResult(true);
            return;
        }
        sa.BeginDelete();
        sa.Tasks.ClearQueued();
        m.Debug.Sa(sa.LogName, sa.Serial, $"sending DELETE for IKE SA ({reason})");
        m.Outbound.Request(sa, new Request(m, reason, done));
    }

    /// <summary>INFORMATIONAL { D(IKE) }; answered or not, the SA is gone afterwards.</summary>
    private sealed class Request(IkeTaskContext m, string reason, TaskCompletionSource<bool>? done) : IIkeTask
    {
        public ExchangeType Exchange => ExchangeType.Informational;
        public string Name => "ike_delete";
        public IReadOnlyList<IkePayload>? Build(IkeSa sa) => [DeletePayload.ForIkeSa()];

        public void Process(IkeSa sa, IkeMessage? response)
        {
            m.Destroy(sa, reason, keepChildren: sa.RekeyedTo is not null);
            done?.TrySetResult(response is not null);
        }
    }
}
