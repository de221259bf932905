// The single seam between the IKE control plane and the ESP data plane (strongSwan's
// kernel_ipsec.h), in the floor beneath both. PostureGate.Esp implements it itself
// (EspChildSaInstaller, as strongSwan's kernel plugins implement kernel_ipsec.h); tests and
// the control-plane-only mode use the IKE layer's InMemoryChildSaInstaller.
using System.Net;

namespace PostureGate.Kernel;

public interface IChildSaInstaller
{
    /// <summary>Installs both directions of a CHILD_SA; false when the data plane refused it.</summary>
    bool Install(ChildSaInstallation sa);

    /// <summary>Async form for data planes that need to await; the state machine calls <see cref="Install"/>.</summary>
    ValueTask<bool> InstallAsync(ChildSaInstallation sa, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Install(sa));

    /// <summary>Removes both directions; idempotent.</summary>
    void Remove(string instance, uint inboundSpi, uint outboundSpi);

    /// <summary>NAT rebinding / MOBIKE: the peer's address or port changed.</summary>
    void UpdatePeer(string instance, uint inboundSpi, uint outboundSpi, IPEndPoint newPeer, bool udpEncapsulation);

    /// <summary>The data plane's channel back into the control plane; set once by the manager.</summary>
    void Attach(IChildSaEvents events) { }
}

/// <summary>Callbacks from the data plane into the IKE manager (strongSwan's kernel listener: expire, acquire).</summary>
public interface IChildSaEvents
{
    /// <summary>Traffic seen on an SA; DPD uses it (on-idle: inbound; on-demand: outbound without inbound).</summary>
    void TrafficSeen(uint inboundSpi, bool inbound, bool outbound);

    /// <summary>Soft limit hit (time, bytes or packets): the manager starts a CHILD_SA rekey.</summary>
    void RekeyRequested(uint inboundSpi);

    /// <summary>Hard limit hit: the manager deletes the CHILD_SA.</summary>
    void Expired(uint inboundSpi);
}
