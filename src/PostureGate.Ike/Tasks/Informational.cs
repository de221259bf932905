// RFC 7296 §1.4 INFORMATIONAL, responder side (charon's informational task): Delete of the IKE
// SA or of CHILD_SAs (answered with the paired Delete, §1.4.1), liveness checks (empty, §2.4),
// and status notifies passed on to the gateway (FortiClient token updates later).
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Ike.Sa;

namespace PostureGate.Ike.Tasks;

internal sealed class Informational(IkeTaskContext m) : ResponderTask
{
    public override ExchangeType Exchange => ExchangeType.Informational;
    public override string Name => "informational";

    protected override ResponderAnswer? Answer(IkeSa sa, IkeMessage request)
    {
        var deletes = request.FindAll<DeletePayload>().ToList();
        if (deletes.Any(d => d.Protocol == ProtocolId.Ike))
        {
            m.Debug.Sa(sa.LogName, sa.Serial, "received DELETE for IKE SA");
            return new ResponderAnswer([], () => m.Destroy(sa, "deleted by peer", keepChildren: sa.RekeyedTo is not null));
        }
        var payloads = new List<IkePayload>();
        var ours = new List<uint>();
        foreach (var d in deletes.Where(d => d.Protocol == ProtocolId.Esp))
            ours.AddRange(ChildDelete.RespondToDelete(m, sa, d));
        if (ours.Count > 0)
            payloads.Add(DeletePayload.ForChildSas(ours));
        var notifies = request.FindAll<NotifyPayload>().Where(n => !n.IsError)
            .Select(n => new ReceivedNotify((ushort)n.NotifyType, (byte)n.Protocol, n.Spi, n.Data)).ToList();
        // Before authentication the SA carries its phase1's name, which a static tunnel's instance shares:
        // only an authenticated peer's notifies (token updates) reach the gateway.
        return new ResponderAnswer(payloads, notifies.Count > 0 && sa.PeerAuthenticated ? () => m.RaiseInformational(sa, notifies) : null);
    }
}
