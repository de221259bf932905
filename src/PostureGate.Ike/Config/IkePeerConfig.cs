// The settings of one phase1-interface (`config vpn ipsec phase1-interface`, type dynamic),
// built by the gateway from the FortiOS configuration. Immutable: a configuration change
// builds a new record; SAs keep the one they were created with.
using System.Net;
using PostureGate.Proposals;

namespace PostureGate.Ike.Config;

public sealed record IkePeerConfig
{
    /// <summary>Phase 1 name, e.g. "dialup"; instances are named "dialup_0", "dialup_1" …</summary>
    public required string Name { get; init; }

    /// <summary>Restricts the configuration to datagrams received on this address (null: any).</summary>
    public IPAddress? LocalAddress { get; init; }

    /// <summary>Phase 1 suites in configured order.</summary>
    public required IReadOnlyList<CipherSuite> Proposals { get; init; }

    /// <summary>`dhgrp` in configured order; offered/accepted IKE proposals are Proposals × DhGroups.</summary>
    public required IReadOnlyList<KeyExchangeMethod> DhGroups { get; init; }

    /// <summary>The pre-shared key (`psksecret`). Secret: never logged.</summary>
    public required byte[] Psk { get; init; }

    /// <summary>`localid`; null means the local IP address as ID_IPV4_ADDR.</summary>
    public IkeIdentity? LocalId { get; init; }

    /// <summary>`peerid`: when set, the peer's IDi must match it.</summary>
    public IkeIdentity? PeerId { get; init; }

    /// <summary>`eap enable`: the peer authenticates with EAP-MSCHAPv2, the gateway with the PSK.</summary>
    public bool EapEnabled { get; init; }

    /// <summary>
    /// PostureGate's `eap-method tls`: the peer runs EAP-TLS (RFC 5216) with a certificate meeting <see cref="PeerCertificates"/>,
    /// the gateway's TLS certificate is the first of <see cref="LocalCertificates"/>. False: EAP-MSCHAPv2.
    /// </summary>
    public bool EapTls { get; init; }

    /// <summary>`eap-identity send-request` (true) or `use-id-payload` (false).</summary>
    public bool EapIdentityRequest { get; init; } = true;

    /// <summary>
    /// `authmethod signature` with `certificate`: the gateway authenticates with these (RFC 7296 §2.15), the
    /// first whose CA the peer's CERTREQ names, else the first. Empty: the gateway authenticates with the PSK.
    /// </summary>
    public IReadOnlyList<Auth.LocalCertificateCredential> LocalCertificates { get; init; } = [];

    /// <summary>
    /// `peer` (a `config user peer`): the peer authenticates with a certificate meeting this policy — alone
    /// (`eap disable`), or as the first of two rounds before EAP (`eap-cert-auth enable`, RFC 4739). Null: it does not.
    /// </summary>
    public Auth.PeerCertificatePolicy? PeerCertificates { get; init; }

    /// <summary>User → password, returning null when the user is unknown or not in `authusrgrp`.</summary>
    public Func<string, string?> EapPasswordLookup { get; init; } = static _ => null;

    /// <summary>Mode-cfg pool (`ipv4-start-ip`/`ipv4-end-ip`); null: no CP address is offered.</summary>
    public IAddressPool? AddressPool { get; init; }

    /// <summary>`ipv4-netmask`: sent as INTERNAL_IP4_NETMASK when set.</summary>
    public IPAddress? Netmask { get; init; }

    public IReadOnlyList<IPAddress> DnsServers { get; init; } = [];

    /// <summary>`ipv4-split-include` networks, sent as INTERNAL_IP4_SUBNET and used to narrow TSr.</summary>
    public IReadOnlyList<Ipv4Subnet> SplitInclude { get; init; } = [];

    public DpdMode DpdMode { get; init; } = DpdMode.OnDemand;
    public TimeSpan DpdRetryInterval { get; init; } = TimeSpan.FromSeconds(20);
    public int DpdRetryCount { get; init; } = 3;

    /// <summary>`keylife` (phase 1), default 86400 s.</summary>
    public TimeSpan IkeLifetime { get; init; } = TimeSpan.FromSeconds(86400);

    /// <summary>`fragmentation enable` (RFC 7383) and `fragmentation-mtu`.</summary>
    public bool Fragmentation { get; init; } = true;
    public int FragmentMtu { get; init; } = 1280;

    /// <summary>`nattraversal enable`.</summary>
    public bool NatTraversal { get; init; } = true;

    /// <summary>Half-open IKE SAs above which IKE_SA_INIT requests must carry a COOKIE (RFC 7296 §2.6).</summary>
    public int CookieThreshold { get; init; } = 1000;

    /// <summary>How long an IKE SA may stay unauthenticated.</summary>
    public TimeSpan HalfOpenTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public required IReadOnlyList<ChildConfig> Children { get; init; }

    /// <summary>
    /// PostureGate's `redirect-gateway`: where RFC 5685 redirects from this phase1 go (draining, or over
    /// <see cref="RedirectThreshold"/>). Null: a draining node refuses new clients instead.
    /// </summary>
    public IRedirectTargets? RedirectTargets { get; init; }

    /// <summary>PostureGate's `redirect-threshold`: from this many IKE SAs on the node, clients that can be are redirected; 0 never.</summary>
    public int RedirectThreshold { get; init; }

    /// <summary>The IKE proposals in preference order: each suite paired with each group.</summary>
    public IEnumerable<(CipherSuite Suite, KeyExchangeMethod Group)> IkeProposals()
    {
        foreach (var s in Proposals)
            foreach (var g in DhGroups)
                yield return (s, g);
    }
}
