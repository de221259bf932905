// The data plane's channel into the control plane (IChildSaEvents, strongSwan's kernel_listener_t):
// traffic seen (DPD on-demand, idle times), a soft lifetime reached (rekey, RFC 7296 §2.8), a hard
// one reached (delete). Each finds its SA by our inbound SPI and acts under the SA's gate.
using PostureGate.Ike.Tasks;

namespace PostureGate.Ike.Sa;

internal sealed class ChildSaEventsAdapter(IkeSaManager m) : IChildSaEvents
{
    public void TrafficSeen(uint inboundSpi, bool inbound, bool outbound)
    {
        if (!m.TryFindChild(inboundSpi, out var sa, out var child))
            return;
        var now = m.Now;
        lock (sa.Gate)
        {
            if (inbound)
                sa.LastInbound = child!.LastInbound = now;
            if (outbound)
            {
                sa.LastDataOutbound = child!.LastOutbound = now;
                IkeDpd.OutboundSeen(m.TaskContext, sa);
            }
        }
    }

    public void RekeyRequested(uint inboundSpi)
    {
        if (!m.TryFindChild(inboundSpi, out var sa, out var child))
            return;
        lock (sa.Gate)
            if (sa.State == IkeSaState.Established && child!.State == ChildSaState.Installed)
                ChildRekey.Start(m.TaskContext, sa, child);
    }

    public void Expired(uint inboundSpi)
    {
        if (!m.TryFindChild(inboundSpi, out var sa, out var child))
            return;
        lock (sa.Gate)
            ChildDelete.Start(m.TaskContext, sa, child!, "expired", removeNow: true);
    }
}
