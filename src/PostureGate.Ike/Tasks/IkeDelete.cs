// RFC 7296 §1.4.1 deleting the IKE SA (charon's ike_delete): INFORMATIONAL { D(IKE) }; the
// answer is an empty INFORMATIONAL and both ends forget the SA and all its CHILD_SAs.
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Ike.Sa;

namespace PostureGate.Ike.Tasks;

internal static class IkeDelete
{
    /// <summary>Sends the Delete and destroys the SA when answered (or when retransmits give up).</summary>
    public static void Start(IkeSaManager m, IkeSa sa, string reason, TaskCompletionSource<bool>? done = null)
    {
        if (sa.State == IkeSaState.Deleting || sa.Keys is null)
        {
            m.Destroy(sa, reason);
            done?.TrySetResult(true);
            return;
        }
        sa.State = IkeSaState.Deleting;
        sa.Queue.Clear();
        m.Debug.Sa(sa.LogName, sa.Serial, $"sending DELETE for IKE SA ({reason})");
        m.Outbound.Request(sa, ExchangeType.Informational, "ike_delete", _ => [DeletePayload.ForIkeSa()], (s, response) =>
        {
            m.Destroy(s, reason, keepChildren: s.RekeyedTo is not null);
            done?.TrySetResult(response is not null);
        });
    }
}
