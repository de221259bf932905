// An IChildSaInstaller in front of the real one that hands each installed CHILD_SA's keys to
// the Wireshark key log (`--wireshark-keys`), then passes it on; everything else goes through.
using System.Net;
using PostureGate.Kernel;

namespace PostureGate.Gateway.Diagnose;

internal sealed class KeyLoggingChildSaInstaller(IChildSaInstaller inner, WiresharkKeyLog keys) : IChildSaInstaller
{
    public bool Install(ChildSaInstallation sa)
    {
        // Before the data plane takes the keys (it may zero its copies of them).
        keys.ChildSa(sa);
        return inner.Install(sa);
    }

    public async ValueTask<bool> InstallAsync(ChildSaInstallation sa, CancellationToken cancellationToken = default)
    {
        keys.ChildSa(sa);
        return await inner.InstallAsync(sa, cancellationToken).ConfigureAwait(false);
    }

    public void Remove(string instance, uint inboundSpi, uint outboundSpi) => inner.Remove(instance, inboundSpi, outboundSpi);

    public void UpdatePeer(string instance, uint inboundSpi, uint outboundSpi, IPEndPoint newPeer, bool udpEncapsulation) =>
        inner.UpdatePeer(instance, inboundSpi, outboundSpi, newPeer, udpEncapsulation);

    public void Attach(IChildSaEvents events) => inner.Attach(events);
}
