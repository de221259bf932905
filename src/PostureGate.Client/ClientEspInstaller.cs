// The IKE layer's kernel seam (IChildSaInstaller) for `pgate client --tun`: each CHILD_SA the
// initiator negotiates becomes an ESP pair in the client's data plane, and is also recorded
// in the session's InMemoryChildSaInstaller (status, tests). The gateway's
// EspChildSaInstaller does the same per dial-up instance and routes by the peer's virtual IP;
// a client has one tunnel and routes everything the TUN device gives it into it.
using System.Net;
using PostureGate.Esp;
using PostureGate.Ike.Kernel;
using PostureGate.Net;

namespace PostureGate.Client;

public sealed class ClientEspInstaller : IChildSaInstaller
{
    /// <summary>The client's one tunnel in the data plane.</summary>
    public const int TunnelId = 1;

    private readonly IEspDataPlane _esp;
    private readonly InMemoryChildSaInstaller _record;
    private IChildSaEvents? _events;

    public ClientEspInstaller(IEspDataPlane esp, InMemoryChildSaInstaller record)
    {
        _esp = esp;
        _record = record;
        _esp.Expired += OnExpired;
    }

    public bool Install(ChildSaInstallation sa)
    {
        var lifetime = new SaLifetime(0, 0, 0, 0, sa.SoftLifetime, sa.HardLifetime);
        // RFC 4301 §5.2: a decrypted packet's source must lie in the gateway's selectors (TSr);
        // outbound needs no such list, the routes decide what enters the tunnel.
        var gatewaySources = sa.RemoteSelectors.Select(r => (Ipv4.ToAddress(r.StartAddress), Ipv4.ToAddress(r.EndAddress))).ToArray();
        var inbound = new EspSaConfig(sa.InboundSpi, sa.Encryption, sa.EncryptionKeyBits, sa.Integrity,
            sa.InboundKeys.Encryption.ToArray(), sa.InboundKeys.Integrity.ToArray(), sa.ExtendedSequenceNumbers,
            sa.ReplayWindow, sa.PeerEndpoint, gatewaySources, lifetime);
        var outbound = new EspSaConfig(sa.OutboundSpi, sa.Encryption, sa.EncryptionKeyBits, sa.Integrity,
            sa.OutboundKeys.Encryption.ToArray(), sa.OutboundKeys.Integrity.ToArray(), sa.ExtendedSequenceNumbers,
            sa.ReplayWindow, sa.PeerEndpoint, [], lifetime);
        try
        {
            // 0.0.0.0: this tunnel takes every destination (IEspDataPlane.AddChildSa, client role).
            _esp.AddChildSa(inbound, outbound, IPAddress.Any, TunnelId);
        }
        catch (ArgumentException)
        {
            return false;
        }
        if (_record.Install(sa))
            return true;
        _esp.DeleteChildSa(sa.InboundSpi);
        return false;
    }

    public void Remove(string instance, uint inboundSpi, uint outboundSpi)
    {
        _esp.DeleteChildSa(inboundSpi);
        _record.Remove(instance, inboundSpi, outboundSpi);
    }

    public void UpdatePeer(string instance, uint inboundSpi, uint outboundSpi, IPEndPoint newPeer, bool udpEncapsulation)
    {
        _esp.UpdatePeer(TunnelId, newPeer);
        _record.UpdatePeer(instance, inboundSpi, outboundSpi, newPeer, udpEncapsulation);
    }

    public void Attach(IChildSaEvents events)
    {
        _events = events;
        _record.Attach(events);
    }

    /// <summary>The networks behind the gateway, as routes: the split networks it announced
    /// (INTERNAL_IP4_SUBNET), else its traffic selectors (strongSwan narrows TSr instead).</summary>
    public static IReadOnlyList<Ipv4Subnet> RoutesFor(IReadOnlyList<Ipv4Subnet> splitNetworks, ChildSaInstallation child) =>
        splitNetworks.Count > 0 ? splitNetworks : [.. child.RemoteSelectors.SelectMany(r => Ipv4Subnet.Cover(r.StartAddress, r.EndAddress))];

    private void OnExpired(EspSaExpire e)
    {
        if (_events is not { } events)
            return;
        var inboundSpi = e.ChildSaInboundSpi;
        if (e.Hard)
            events.Expired(inboundSpi);
        else
            events.RekeyRequested(inboundSpi);
    }
}
