// RFC 7296 §1.4.1 deleting a CHILD_SA, initiator side (charon's child_delete):
//   INFORMATIONAL { D(ESP, our inbound SPI) }  -->  <-- { D(ESP, peer's inbound SPI) }
// The SA stops carrying traffic when the request is sent; it is removed when answered
// (or when the IKE SA dies).
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Ike.Sa;

namespace PostureGate.Ike.Tasks;

internal static class ChildDelete
{
    /// <param name="removeNow">Hard expiry: out of the data plane at once, the Delete follows when the window allows.</param>
    public static void Start(IkeTaskContext m, IkeSa sa, ChildSa child, string reason, bool removeNow = false)
    {
        if (child.State == ChildSaState.Deleting)
            return;
        child.State = ChildSaState.Deleting;
        child.StopTimers();
        var spi = child.InboundSpi;
        if (removeNow)
            m.RemoveChild(sa, child, reason);
        m.Outbound.Request(sa, new Request(m, child, spi, reason, removeNow));
    }

    /// <summary>INFORMATIONAL { D(ESP, spi) }, skipped when the child went meanwhile; the answer removes it.</summary>
    private sealed class Request(IkeTaskContext m, ChildSa child, uint spi, string reason, bool removeNow) : IIkeTask
    {
        public ExchangeType Exchange => ExchangeType.Informational;
        public string Name => "child_delete";

        public IReadOnlyList<IkePayload>? Build(IkeSa sa) =>
            removeNow || sa.Children.Contains(child) ? [DeletePayload.ForChildSas([spi])] : null;

        public void Process(IkeSa sa, IkeMessage? response) => m.RemoveChild(sa, child, reason);
    }

    /// <summary>Responder: the peer deletes CHILD_SAs by its inbound SPIs (our outbound); we answer with ours (§1.4.1).</summary>
    public static List<uint> RespondToDelete(IkeTaskContext m, IkeSa sa, DeletePayload delete)
    {
        var ours = new List<uint>();
        foreach (var spi in delete.Spis)
        {
            var child = sa.Children.FirstOrDefault(c => c.OutboundSpi == spi);
            if (child is null)
                continue;
            // A simultaneous delete of our own (§1.4.1): the SA goes, without a paired SPI in the answer.
            if (child.State != ChildSaState.Deleting)
                ours.Add(child.InboundSpi);
            m.RemoveChild(sa, child, "deleted by peer");
        }
        return ours;
    }
}
