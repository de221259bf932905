// config vpn ipsec phase1-interface: every attribute the seed document's examples
// set, and those their features need. Defaults: FortiOS 7.4 CLI reference,
// "config vpn ipsec phase1-interface" Default column (type static, ike-version 1,
// peertype peer, net-device disable, mode-cfg disable, the 7.4 default proposal
// list, dpd on-demand, dpd-retrycount 3, dpd-retryinterval 20 s,
// eap disable, eap-identity use-id-payload, remote-gw-match any, assign-ip-from
// range, ipv4-netmask 255.255.255.255, dns-mode manual, save-password disable,
// keylife 86400 s in 120-172800, nattraversal enable, fragmentation enable,
// fragmentation-mtu 1200 in 500-16000, authmethod psk). ems-sn-check is a toggle
// here (FortiOS 7.6 adds use-global). The entry name is an interface name: 15
// characters at most, as FortiOS and Linux (IFNAMSIZ) both require.
using PostureGate.Admission;
using PostureGate.Config.Model;
using PostureGate.Liveness;

namespace PostureGate.Config.Schema;

internal static class Phase1Schema
{
    public static readonly TableSchema Table = new("vpn ipsec phase1-interface", isTable: true, maxNameLength: 15)
    {
        Note = "Not implemented yet, so refused with an error: `type static`/`ddns` (the default `static` too), `ike-version 1` (the default too), "
            + "`peertype dialup`/`peergrp`, `net-device enable`, `assign-ip-from usrgrp`/`dhcp`, `nattraversal forced`; "
            + "`ems-sn-check enable` without `remote-gw-match ztna`; `eap enable` needs `authusrgrp`. An attribute that would have no effect under the entry's other settings "
            + "(`remote-gw-subnet` without `remote-gw-match ipmask`, pool and DNS attributes without `mode-cfg enable`, `peerid` without "
            + "`peertype one` …) is an error too. `save-password enable` is accepted with a warning: no client PostureGate serves acts on it. "
            + "`authmethod signature`: the gateway signs with its `certificate` (one to four `vpn certificate local` names: "
            + "the one whose CA the peer names in a CERTREQ is sent, else the first, RFC 7296 §3.7). With `eap enable` "
            + "the peer does EAP (the shape Windows, macOS/iOS and the strongSwan app use); with `eap-cert-auth enable` as well it first "
            + "authenticates with a device certificate (RFC 4739: two rounds, certificate then EAP). Without EAP the peer authenticates "
            + "with a certificate. A peer that authenticates with a certificate needs `peertype peer` and `peer` (a `user peer`). "
            + "PostureGate's own attributes, not FortiOS's: `ztna-uid-proof enable` requires the endpoint's UID be proven by that device "
            + "certificate (FORTICLIENT_CONNECT alone no longer suffices; both, when present, must agree); `ztna-token-binding enable` "
            + "accepts a ZTNA token only when it is bound (RFC 7800 `cnf`, `x5t#S256`) to the certificate the peer proved in this IKE SA "
            + "(without it, a bound token still counts only for that certificate and an unbound one as FortiOS takes it). Both need "
            + "`remote-gw-match ztna` and a peer certificate. `eap-method tls` (PostureGate's own; default `mschapv2`) makes the gateway "
            + "an EAP-TLS server (RFC 5216): the peer proves its device certificate inside EAP, the gateway's TLS certificate is its "
            + "`certificate`. It needs `eap enable`, `authmethod signature`, `peertype peer` and `peer`; `authusrgrp` and "
            + "`eap-cert-auth enable` are errors with it (no password, and the certificate is already proven). "
            + "`redirect-gateway` (PostureGate's own, IKEv2 redirect, RFC 5685; FortiOS has no word for it) lists the gateways, IPv4 or "
            + "IPv6 addresses or host names, a new client is sent to in IKE_SA_INIT while this node drains (`pgate gateway drain`) "
            + "or holds `redirect-threshold` IKE SAs or more (0, the default: only while draining). Only a client that announces "
            + "REDIRECT_SUPPORTED is redirected, the targets are taken in turn, this node's own address in the list is skipped and so "
            + "is the gateway the client was redirected from; draining with nowhere to send a client refuses it (TEMPORARY_FAILURE). "
            + "`redirect-threshold` without `redirect-gateway` is an error; a value that is neither an address nor a host name, or "
            + "one listed twice, too.",
    };
    public static readonly AttributeSchema Type = Table.Enum("type", Phase1Type.Static, "static", "dynamic", "ddns");
    public static readonly AttributeSchema Interface = Table.String("interface", maxLength: 15);
    public static readonly AttributeSchema IkeVersion = Table.Integer("ike-version", 1, 2, 1);
    public static readonly AttributeSchema Keylife = Table.Integer("keylife", 120, 172800, 86400);
    // certificate: FortiOS takes up to 4 local certificate names (7.4 CLI reference, "certificate <name1>, …").
    public static readonly AttributeSchema Certificate = Table.Strings("certificate");
    public static readonly AttributeSchema AuthMethod = Table.Enum("authmethod", Model.Phase1AuthMethod.Psk, "psk", "signature");
    public static readonly AttributeSchema PeerType = Table.Enum("peertype", Model.PeerType.Peer, "any", "one", "dialup", "peer", "peergrp");
    public static readonly AttributeSchema PeerId = Table.String("peerid");
    public static readonly AttributeSchema Peer = Table.String("peer", maxLength: 35);
    public static readonly AttributeSchema LocalId = Table.String("localid", maxLength: 63);
    public static readonly AttributeSchema NetDevice = Table.Toggle("net-device", false);
    public static readonly AttributeSchema ModeCfg = Table.Toggle("mode-cfg", false);
    public static readonly AttributeSchema AssignIpFrom = Table.Enum("assign-ip-from", Model.AssignIpFrom.Range, "range", "usrgrp", "dhcp", "name");
    public static readonly AttributeSchema Ipv4Name = Table.String("ipv4-name", maxLength: 79);
    public static readonly AttributeSchema Ipv4StartIp = Table.Ipv4("ipv4-start-ip");
    public static readonly AttributeSchema Ipv4EndIp = Table.Ipv4("ipv4-end-ip");
    public static readonly AttributeSchema Ipv4Netmask = Table.Netmask("ipv4-netmask", "255.255.255.255");
    public static readonly AttributeSchema DnsMode = Table.Enum("dns-mode", Model.DnsMode.Manual, "manual", "auto");
    public static readonly AttributeSchema Ipv4DnsServer1 = Table.Ipv4("ipv4-dns-server1");
    public static readonly AttributeSchema Ipv4DnsServer2 = Table.Ipv4("ipv4-dns-server2");
    public static readonly AttributeSchema Ipv4DnsServer3 = Table.Ipv4("ipv4-dns-server3");
    public static readonly AttributeSchema Ipv4SplitInclude = Table.String("ipv4-split-include", maxLength: 79);
    public static readonly AttributeSchema Proposal = Table.Proposals("proposal", phase1: true,
        "aes128-sha256 aes256-sha256 aes128gcm-prfsha256 aes256gcm-prfsha384 chacha20poly1305-prfsha256");
    // dhgrp: the FortiOS 7.4.6 CLI reference ("config vpn ipsec phase1-interface",
    // Parameters, dhgrp: "DH group. option - 14") and 7.6's give 14 alone, which is why
    // the seed's Example 2 spells out "set dhgrp 20 21" and `show` must print it.
    public static readonly AttributeSchema Dhgrp = Table.DhGroups("dhgrp", "14");
    public static readonly AttributeSchema Dpd = Table.Enum("dpd", DpdMode.OnDemand, "disable", "on-idle", "on-demand");
    public static readonly AttributeSchema DpdRetryCount = Table.Integer("dpd-retrycount", 0, 10, 3);
    public static readonly AttributeSchema DpdRetryInterval = Table.Integer("dpd-retryinterval", 1, 3600, 20);
    public static readonly AttributeSchema NatTraversal = Table.Enum("nattraversal", Model.NatTraversal.Enable, "enable", "disable", "forced");
    public static readonly AttributeSchema Fragmentation = Table.Toggle("fragmentation", true);
    public static readonly AttributeSchema FragmentationMtu = Table.Integer("fragmentation-mtu", 500, 16000, 1200);
    public static readonly AttributeSchema Eap = Table.Toggle("eap", false);
    public static readonly AttributeSchema EapIdentity = Table.Enum("eap-identity", Model.EapIdentity.UseIdPayload, "use-id-payload", "send-request");
    // eap-cert-auth: FortiOS's "peer certificate authentication in addition to EAP"; here a
    // first authentication round with the device certificate, then EAP (RFC 4739).
    public static readonly AttributeSchema EapCertAuth = Table.Toggle("eap-cert-auth", false);
    // eap-method: PostureGate's own. FortiOS has no phase1 word for it (a FortiGate hands EAP-TLS
    // to a RADIUS server); here the gateway is the EAP-TLS server (RFC 5216) for the device certificate.
    public static readonly AttributeSchema EapMethod = Table.Enum("eap-method", Model.EapMethod.MsChapV2, "mschapv2", "tls");
    public static readonly AttributeSchema AuthUsrGrp = Table.String("authusrgrp", maxLength: 35);
    public static readonly AttributeSchema EmsSnCheck = Table.Toggle("ems-sn-check", false);
    public static readonly AttributeSchema RemoteGwMatch = Table.Enum("remote-gw-match", RemoteGwMatchMode.Any, "any", "ipmask", "iprange", "geography", "ztna");
    public static readonly AttributeSchema RemoteGwSubnet = Table.Ipv4Prefix("remote-gw-subnet");
    public static readonly AttributeSchema RemoteGwStartIp = Table.Ipv4("remote-gw-start-ip");
    public static readonly AttributeSchema RemoteGwEndIp = Table.Ipv4("remote-gw-end-ip");
    public static readonly AttributeSchema RemoteGwCountry = Table.String("remote-gw-country", maxLength: 2);
    public static readonly AttributeSchema RemoteGwZtnaTags = Table.Strings("remote-gw-ztna-tags");
    // PostureGate's own (FortiOS has no word for them): the endpoint's UID must be proven
    // by the device certificate the peer authenticated with, not only claimed in
    // FORTICLIENT_CONNECT; and a ZTNA token is accepted only when bound (RFC 7800 cnf)
    // to that certificate.
    public static readonly AttributeSchema ZtnaUidProof = Table.Toggle("ztna-uid-proof", false);
    public static readonly AttributeSchema ZtnaTokenBinding = Table.Toggle("ztna-token-binding", false);
    // PostureGate's own (FortiOS has no RFC 5685 words): where IKEv2 redirects go, and from how
    // many IKE SAs on the node new clients are redirected (0: only while draining).
    public static readonly AttributeSchema RedirectGateway = Table.Strings("redirect-gateway");
    public static readonly AttributeSchema RedirectThreshold = Table.Integer("redirect-threshold", 0, 10_000_000, 0);
    public static readonly AttributeSchema SavePassword = Table.Toggle("save-password", false);
    public static readonly AttributeSchema PskSecret = Table.Secret("psksecret");
}
