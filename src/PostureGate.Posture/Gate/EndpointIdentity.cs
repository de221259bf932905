// Who the gate checks under remote-gw-match ztna (observed FortiOS behaviour, seed: FortiClient's
// FORTICLIENT_CONNECT names the endpoint UID the EMS knows it by). The UID comes only from the
// sources listed as naming it — FORTICLIENT_CONNECT, and the device certificate the peer
// authenticated with in IKE — never from the IKE ID or the packet's source address,
// which anyone with VPN credentials can set to a tagged endpoint's address.
using System.Net;

namespace PostureGate.Posture;

/// <summary>Where a UID the gate may judge by came from.</summary>
public enum UidSource
{
    /// <summary>UID= of FORTICLIENT_CONNECT: asserted by the client (FortiClient's model, the seed's).</summary>
    FortiClientConnect,

    /// <summary>The device certificate the peer authenticated with in IKE_AUTH (CN and urn:posturegate:uid: SAN): proven.</summary>
    DeviceCertificate,
}

/// <summary>One source's statement of the endpoint's UID.</summary>
public readonly record struct UidClaim(string Uid, UidSource Source);

/// <summary>
/// The endpoint the gate judges: its UID (null when no source named one) and the address it
/// reports as its own — FORTICLIENT_CONNECT's IP=, else an ID_IPV4_ADDR IDi, else the packet's
/// source address. The address is only ever compared with the one the EMS records for the UID.
/// </summary>
public readonly record struct EndpointIdentity(string? Uid, IPAddress Ip, string Origin)
{
    public uint? Ipv4 => Ipv4Address.TryToUInt32(Ip, out var v) ? v : null;

    /// <summary>
    /// The identity from <paramref name="claims"/>; <paramref name="conflict"/> is set (and the
    /// UID left null) when two sources name different endpoints.
    /// </summary>
    public static EndpointIdentity From(PostureRequest request, IReadOnlyList<UidClaim> claims, IPAddress? reportedIp, out string? conflict)
    {
        conflict = null;
        string? uid = null;
        foreach (var claim in claims)
        {
            if (uid is null)
            {
                uid = claim.Uid;
            }
            else if (!string.Equals(uid, claim.Uid, StringComparison.OrdinalIgnoreCase))
            {
                conflict = $"the UID sources disagree ({uid} from {claims[0].Source}, {claim.Uid} from {claim.Source})";
                uid = null;
                break;
            }
        }
        if (reportedIp is { } ip)
            return new(uid, Ipv4Address.Normalize(ip), "FORTICLIENT_CONNECT IP");
        if (request.IkeIdAddress is { } id)
            return new(uid, Ipv4Address.Normalize(id), "IKE ID");
        return new(uid, Ipv4Address.Normalize(request.Peer.Address), "source address");
    }

    /// <summary>Why remote-gw-match ztna has no UID to judge by (the audit reason, the debug line, explain).</summary>
    public static string MissingUid(bool notifySent, string? parseError) => notifySent
        ? $"FortiClient UID missing: FORTICLIENT_CONNECT is malformed ({parseError}); remote-gw-match ztna admits no endpoint without its UID"
        : "FortiClient UID missing: no FORTICLIENT_CONNECT; remote-gw-match ztna admits no endpoint without its UID, never by address";
}
