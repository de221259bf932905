// `diagnose vpn ike gateway list` with --json: one object per IKE SA, the fields of the text
// layout (FortiOS 7.4, the seed's Example 2) under stable lower-case names.
using System.Globalization;
using PostureGate.Ike.Diagnostics;

namespace PostureGate.Gateway.Diagnose;

public static class IkeGatewayJson
{
    public static object Of(IkeSaSnapshot s) => new
    {
        vd = $"{s.Vdom}/{s.VdomIndex}",
        name = s.Name,
        phase1 = s.PeerConfigName,
        version = s.Version,
        @interface = s.Interface,
        local = s.LocalEndpoint.ToString(),
        remote = s.RemoteEndpoint.ToString(),
        tun_id = s.TunnelId.ToString(),
        created = s.Created,
        eap_user = s.EapUser,
        peer_id = s.PeerId,
        forticlient_uid = s.FortiClientUid,
        assigned_ipv4 = s.AssignedAddress?.ToString(),
        nat_local = s.NatLocal,
        nat_remote = s.NatRemote,
        id = s.Serial,
        spi_i = s.InitiatorSpi.ToString("x16", CultureInfo.InvariantCulture),
        spi_r = s.ResponderSpi.ToString("x16", CultureInfo.InvariantCulture),
        direction = s.IsInitiator ? "initiator" : "responder",
        status = s.Status,
        established = s.Established,
    };
}
