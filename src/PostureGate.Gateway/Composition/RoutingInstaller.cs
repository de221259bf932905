// With several data planes (phase1s on different local addresses), a CHILD_SA
// goes to the one whose NAT-T socket its IKE SA uses.
using System.Net;
using PostureGate.Esp;
using PostureGate.Kernel;

namespace PostureGate.Gateway.Composition;

internal sealed class RoutingInstaller(IReadOnlyList<EspChildSaInstaller> installers, IReadOnlyList<IPEndPoint> locals) : IChildSaInstaller
{
    private EspChildSaInstaller For(IPAddress local)
    {
        for (var i = 0; i < locals.Count; i++)
            if (locals[i].Address.Equals(local) || locals[i].Address.Equals(IPAddress.Any))
                return installers[i];
        return installers[0];
    }

    public bool Install(ChildSaInstallation sa) => For(sa.LocalEndpoint.Address).Install(sa);

    public void Remove(string instance, uint inboundSpi, uint outboundSpi)
    {
        foreach (var i in installers)
            i.Remove(instance, inboundSpi, outboundSpi);
    }

    public void UpdatePeer(string instance, uint inboundSpi, uint outboundSpi, IPEndPoint newPeer, bool udpEncapsulation)
    {
        foreach (var i in installers)
            i.UpdatePeer(instance, inboundSpi, outboundSpi, newPeer, udpEncapsulation);
    }

    public void Attach(IChildSaEvents events)
    {
        foreach (var i in installers)
            i.Attach(events);
    }
}
