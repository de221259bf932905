// FortiOS CLI reference, `config vpn ipsec phase1-interface`: one IKE gateway (type dynamic: a dial-up server), references resolved.
using System.Net;
using PostureGate.Admission;
using PostureGate.Proposals;
using PostureGate.Liveness;

namespace PostureGate.Config.Model;

/// <summary>
/// <c>config vpn ipsec phase1-interface</c>: one IKE gateway (for <c>type dynamic</c>,
/// a dial-up server). References are resolved: no string lookups needed.
/// </summary>
public sealed record Phase1Interface : ConfigObject, IKeyed, INamedInterface
{
    public required string Name { get; init; }
    public required Phase1Type Type { get; init; }
    /// <summary>The interface IKE listens on.</summary>
    public required SystemInterface Interface { get; init; }
    public required int IkeVersion { get; init; }
    public required TimeSpan KeyLifetime { get; init; }
    public required Phase1AuthMethod AuthMethod { get; init; }
    /// <summary><c>certificate</c>: what the gateway signs with under <c>authmethod signature</c> (1–4; empty with a PSK).</summary>
    public required ValueList<LocalCertificate> Certificates { get; init; }
    /// <summary><c>peer</c>: the certificate a peer must present when it authenticates with one (<see cref="PeerAuthenticatesWithCertificate"/>).</summary>
    public UserPeer? Peer { get; init; }
    /// <summary><c>eap-cert-auth</c>: a device-certificate round before EAP (RFC 4739).</summary>
    public required bool EapCertAuth { get; init; }
    /// <summary>PostureGate's <c>ztna-uid-proof</c>: the UID must come from the peer's certificate, not only FORTICLIENT_CONNECT.</summary>
    public required bool ZtnaUidProof { get; init; }
    /// <summary>PostureGate's <c>ztna-token-binding</c>: ZTNA tokens must be bound (RFC 7800 cnf) to the peer's certificate.</summary>
    public required bool ZtnaTokenBinding { get; init; }
    public required PeerType PeerType { get; init; }
    public string? PeerId { get; init; }
    public string? LocalId { get; init; }
    public required bool NetDevice { get; init; }
    public required bool ModeCfg { get; init; }
    public required AssignIpFrom AssignIpFrom { get; init; }
    /// <summary><c>ipv4-name</c>: the address whose range is the mode-cfg pool.</summary>
    public FirewallAddress? Ipv4Name { get; init; }
    public IPAddress? Ipv4StartIp { get; init; }
    public IPAddress? Ipv4EndIp { get; init; }
    public required IPAddress Ipv4Netmask { get; init; }
    public required DnsMode DnsMode { get; init; }
    /// <summary>ipv4-dns-server1..3 that are set, in order.</summary>
    public required ValueList<IPAddress> Ipv4DnsServers { get; init; }
    public AddressObject? Ipv4SplitInclude { get; init; }
    public required ValueList<CipherSuite> Proposals { get; init; }
    public required ValueList<KeyExchangeMethod> DhGroups { get; init; }
    public required DpdMode Dpd { get; init; }
    public required int DpdRetryCount { get; init; }
    public required TimeSpan DpdRetryInterval { get; init; }
    public required NatTraversal NatTraversal { get; init; }
    public required bool Fragmentation { get; init; }
    public required int FragmentationMtu { get; init; }
    public required bool Eap { get; init; }
    public required EapIdentity EapIdentity { get; init; }
    /// <summary>PostureGate's <c>eap-method</c>: EAP-MSCHAPv2 with a user's password, or EAP-TLS (RFC 5216) with the device certificate.</summary>
    public required EapMethod EapMethod { get; init; }
    public UserGroup? AuthUserGroup { get; init; }
    public required bool EmsSnCheck { get; init; }
    public required RemoteGwMatchMode RemoteGwMatch { get; init; }
    public IpPrefix? RemoteGwSubnet { get; init; }
    public IPAddress? RemoteGwStartIp { get; init; }
    public IPAddress? RemoteGwEndIp { get; init; }
    public string? RemoteGwCountry { get; init; }
    public required ValueList<ZtnaTag> RemoteGwZtnaTags { get; init; }
    /// <summary>PostureGate's <c>redirect-gateway</c>: IPv4/IPv6 addresses or host names new clients are redirected to (RFC 5685).</summary>
    public ValueList<string> RedirectGateways { get; init; } = ValueList<string>.Empty;
    /// <summary>PostureGate's <c>redirect-threshold</c>: IKE SAs on the node from which clients are redirected; 0 only while draining.</summary>
    public int RedirectThreshold { get; init; }
    public required bool SavePassword { get; init; }
    public Secret? PskSecret { get; init; }

    /// <summary>
    /// Whether the peer authenticates with a certificate: <c>authmethod signature</c> without EAP,
    /// with <c>eap-cert-auth enable</c> (certificate round, then EAP), or inside EAP with <c>eap-method tls</c>.
    /// Then <see cref="Peer"/> is set.
    /// </summary>
    public bool PeerAuthenticatesWithCertificate =>
        AuthMethod == Phase1AuthMethod.Signature && (!Eap || EapCertAuth || EapMethod == EapMethod.Tls);

    /// <summary>
    /// The mode-cfg IPv4 pool: ipv4-start-ip..ipv4-end-ip for <c>assign-ip-from range</c>,
    /// the range of the <c>ipv4-name</c> address for <c>name</c>; false otherwise.
    /// </summary>
    public bool TryGetIpv4Pool(out IPAddress start, out IPAddress end)
    {
        start = end = IPAddress.None;
        if (AssignIpFrom == AssignIpFrom.Range && Ipv4StartIp is not null && Ipv4EndIp is not null)
        {
            (start, end) = (Ipv4StartIp, Ipv4EndIp);
            return true;
        }
        if (AssignIpFrom == AssignIpFrom.Name && Ipv4Name is not null && Ipv4Name.Ranges().FirstOrDefault() is { Start: not null } r)
        {
            (start, end) = (r.Start, r.End);
            return true;
        }
        return false;
    }

    string IKeyed.Key => Name;
}
