// One `diagnose vpn ike gateway list` entry, as in the seed:
//   vd: root/0
//   name: dialup_0
//   version: 2
//   interface: port1 9
//   addr: 172.16.200.4:500 -> 172.16.200.242:500
//   tun_id: 10.212.134.200/::10.0.0.5
//   created: 34s ago
//   eap-user: userc
//   peer-id: 172.16.200.242
//   FortiClient UID: 6108A9179A5C40D7BD57504E15114C1F
//   assigned IPv4 address: 10.212.134.200/255.255.255.255
//   nat: me peer
//   IKE SA: created 1/1  established 1/1  time 10/10/10 ms
//   IPsec SA: created 1/1  established 1/1  time 0/0/0 ms
//     id/spi: 40481 db9b0112a09c6850/ac673ffc75f4cdca
//     direction: responder
//     status: established 39081-39081s ago = 20ms
using System.Globalization;
using System.Net;
using System.Text;

namespace PostureGate.Ike.Diagnostics;

public sealed record IkeSaSnapshot
{
    public string Vdom { get; init; } = "root";
    public int VdomIndex { get; init; }
    /// <summary>The instance name ("dialup_0").</summary>
    public required string Name { get; init; }
    /// <summary>The phase 1 it was created from ("dialup").</summary>
    public required string PeerConfigName { get; init; }
    public int Version { get; init; } = 2;
    public string Interface { get; init; } = "";
    public required IPEndPoint LocalEndpoint { get; init; }
    public required IPEndPoint RemoteEndpoint { get; init; }
    /// <summary>tun_id: the peer's virtual IP when one is leased, else its address.</summary>
    public required IPAddress TunnelId { get; init; }
    public required DateTimeOffset Created { get; init; }
    public string? EapUser { get; init; }
    public string? PeerId { get; init; }
    /// <summary>Set by the posture hook (FortiClient UID from the FORTICLIENT_CONNECT notify).</summary>
    public string? FortiClientUid { get; init; }
    public IPAddress? AssignedAddress { get; init; }
    public IPAddress? AssignedNetmask { get; init; }
    public bool NatLocal { get; init; }
    public bool NatRemote { get; init; }
    public required IkeSaCounters IkeSa { get; init; }
    public required IkeSaCounters IpsecSa { get; init; }
    /// <summary>Serial of the IKE SA ("id" in id/spi).</summary>
    public required long Serial { get; init; }
    public required ulong InitiatorSpi { get; init; }
    public required ulong ResponderSpi { get; init; }
    public required bool IsInitiator { get; init; }
    public required string Status { get; init; }
    public DateTimeOffset? Established { get; init; }
    /// <summary>The peer's address / port changed since the SA was made (FortiOS's rgwy-chg / rport-chg).</summary>
    public bool RemoteAddressChanged { get; init; }
    public bool RemotePortChanged { get; init; }
    /// <summary>RFC 7383 fragmentation agreed with the peer (FortiOS's frag-rfc).</summary>
    public bool Fragmentation { get; init; }

    /// <summary>tun_id6: the IPv4 tunnel ID in IPv6 form ("::10.212.134.200"), as FortiOS pairs them.</summary>
    public static string TunnelId6(IPAddress tunnelId) => tunnelId.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? $"::{tunnelId}" : tunnelId.ToString();

    /// <summary>The `diagnose vpn ike gateway list` block for this SA.</summary>
    public string Format(DateTimeOffset now)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(c, $"vd: {Vdom}/{VdomIndex}\n");
        sb.Append(c, $"name: {Name}\n");
        sb.Append(c, $"version: {Version}\n");
        if (Interface.Length > 0)
            sb.Append(c, $"interface: {Interface}\n");
        sb.Append(c, $"addr: {LocalEndpoint} -> {RemoteEndpoint}\n");
        sb.Append(c, $"tun_id: {TunnelId}/{TunnelId6(TunnelId)}\n");
        // FortiOS's remote_location and network-id (features PostureGate lacks) are left out: no made-up values.
        sb.Append("transport: UDP\n");
        sb.Append(c, $"created: {(long)(now - Created).TotalSeconds}s ago\n");
        if (EapUser is not null)
            sb.Append(c, $"eap-user: {EapUser}\n");
        sb.Append("2FA: no\n");
        if (PeerId is not null)
            sb.Append(c, $"peer-id: {PeerId}\n");
        if (FortiClientUid is not null)
            sb.Append(c, $"FortiClient UID: {FortiClientUid}\n");
        if (AssignedAddress is not null)
            sb.Append(c, $"assigned IPv4 address: {AssignedAddress}/{AssignedNetmask ?? IPAddress.Broadcast}\n");
        if (NatLocal || NatRemote)
            sb.Append("nat:").Append(NatLocal ? " me" : "").Append(NatRemote ? " peer" : "").Append('\n');
        sb.Append("PPK: no\n"); // RFC 8784 is not implemented: no PPK, truly
        sb.Append(c, $"IKE SA: {IkeSa}\n");
        sb.Append(c, $"IPsec SA: {IpsecSa}\n");
        sb.Append(c, $"  id/spi: {Serial} {InitiatorSpi:x16}/{ResponderSpi:x16}\n");
        sb.Append(c, $"  direction: {(IsInitiator ? "initiator" : "responder")}\n");
        if (Established is { } e)
        {
            // "<since created>-<since established>s ago = <setup time>ms"
            var sinceCreated = (long)Math.Round((now - Created).TotalSeconds);
            var sinceEstablished = (long)Math.Round((now - e).TotalSeconds);
            sb.Append(c, $"  status: {Status} {sinceCreated}-{sinceEstablished}s ago = {(long)(e - Created).TotalMilliseconds}ms\n");
        }
        else
        {
            sb.Append(c, $"  status: {Status}\n");
        }
        return sb.ToString();
    }
}

/// <summary>"created 1/1  established 1/1  time 10/10/10 ms": current/total counts and min/avg/max setup time.</summary>
public readonly record struct IkeSaCounters(int CreatedCurrent, int CreatedTotal, int EstablishedCurrent, int EstablishedTotal,
    long MinMs, long AvgMs, long MaxMs)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"created {CreatedCurrent}/{CreatedTotal}  established {EstablishedCurrent}/{EstablishedTotal}  time {MinMs}/{AvgMs}/{MaxMs} ms");
}
