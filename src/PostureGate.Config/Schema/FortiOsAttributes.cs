// The attributes and sub-tables FortiOS 7.4/7.6 documents for the tables PostureGate
// reads, beyond those it uses (*Schema.cs): accepted so a configuration taken from a
// FortiGate loads, kept as written by `config show`, and, except for the descriptive
// ones (comments, aliases, colours), warned about, since they do not do here what
// they do on a FortiGate. Source: the FortiOS 7.4.6 CLI reference ("config …",
// Parameters tables; 7.6 adds to them), as Fortinet publishes it machine-readable in
// its fortios Ansible collection 2.4.2 (versioned_schema entries valid in 7.4.0–7.6.x;
// '_' there is '-' in the CLI). A word in neither list stays an error, with a hint.
using System.Collections.Frozen;

namespace PostureGate.Config.Schema;

internal static class FortiOsAttributes
{
    /// <summary>Descriptive attributes: no effect on a FortiGate's traffic either, so no warning.</summary>
    public static readonly FrozenSet<string> Descriptive =
        FrozenSet.Create(StringComparer.Ordinal, "comment", "comments", "description", "alias", "uuid", "color", "tagging");

    private static readonly FrozenDictionary<string, (FrozenSet<string> Attributes, FrozenSet<string> Tables)> ByPath =
        new Dictionary<string, (FrozenSet<string>, FrozenSet<string>)>
        {
            // A FortiGate's `config system global` is long; these are the words an exported file most often holds.
            ["system global"] = (Words(
                "admin-concurrent admin-https-pki-required admin-https-redirect admin-https-ssl-versions " +
                "admin-lockout-duration admin-lockout-threshold admin-login-max admin-port admin-scp " +
                "admin-ssh-grace-time admin-ssh-password admin-ssh-port admin-ssh-v1 admin-telnet admin-telnet-port " +
                "admintimeout alias gui-theme hostname language post-login-banner pre-login-banner timezone"),
                Words("")),
            ["system settings"] = (Words(
                "comments vdom-type lan-extension-controller-addr opmode ngfw-mode http-external-dest " +
                "firewall-session-dirty manageip gateway ip manageip6 gateway6 ip6 device bfd bfd-desired-min-tx " +
                "bfd-required-min-rx bfd-detect-mult bfd-dont-enforce-src-port utf8-spam-tagging wccp-cache-engine " +
                "vpn-stats-log vpn-stats-period v4-ecmp-mode mac-ttl fw-session-hairpin prp-trailer-action " +
                "snat-hairpin-traffic dhcp-proxy dhcp-proxy-interface-select-method dhcp-proxy-interface " +
                "dhcp-proxy-vrf-select dhcp-server-ip dhcp6-server-ip central-nat gui-default-policy-columns " +
                "lldp-reception lldp-transmission link-down-access nat46-generate-ipv6-fragment-header " +
                "nat46-force-ipv4-packet-forwarding nat64-force-ipv6-packet-forwarding detect-unknown-esp " +
                "intree-ses-best-route auxiliary-session asymroute asymroute-icmp tcp-session-without-syn " +
                "ses-denied-traffic ses-denied-multicast-traffic strict-src-check allow-linkdown-path asymroute6 " +
                "asymroute6-icmp sctp-session-without-init sip-expectation sip-nat-trace h323-direct-model status " +
                "sip-tcp-port sip-udp-port sip-ssl-port sccp-port multicast-forward multicast-ttl-notchange " +
                "multicast-skip-policy allow-subnet-overlap deny-tcp-with-icmp ecmp-max-paths " +
                "discovered-device-timeout email-portal-check-dns default-voip-alg-mode gui-icap gui-implicit-policy " +
                "gui-dns-database gui-load-balance gui-multicast-policy gui-dos-policy gui-object-colors " +
                "gui-route-tag-address-creation gui-voip-profile gui-ap-profile gui-security-profile-group " +
                "gui-local-in-policy gui-wanopt-cache gui-explicit-proxy gui-dynamic-routing " +
                "gui-sslvpn-personal-bookmarks gui-sslvpn-realms gui-policy-based-ipsec gui-threat-weight " +
                "gui-spamfilter gui-file-filter gui-application-control gui-ips gui-dhcp-advanced gui-vpn gui-sslvpn " +
                "gui-wireless-controller gui-advanced-wireless-features gui-switch-controller " +
                "gui-fortiap-split-tunneling gui-webfilter-advanced gui-traffic-shaping gui-wan-load-balancing " +
                "gui-antivirus gui-webfilter gui-fortitelemetry gui-videofilter gui-dnsfilter gui-waf-profile " +
                "gui-dlp-profile gui-dlp-advanced gui-virtual-patch-profile gui-casb gui-fortiextender-controller " +
                "gui-advanced-policy gui-allow-unnamed-policy gui-email-collection gui-multiple-interface-policy " +
                "gui-policy-disclaimer gui-ztna gui-ot gui-dynamic-device-os-id gui-gtp location-id " +
                "ike-session-resume ike-quick-crash-detect ike-dn-format ike-port ike-tcp-port ike-policy-route " +
                "ike-detailed-event-logs block-land-attack default-app-port-as-service gtp-asym-fgsp gtp-monitor-mode " +
                "pfcp-monitor-mode fqdn-session-check ext-resource-session-check dyn-addr-session-check " +
                "default-policy-expiry-days gui-enforce-change-summary internet-service-database-cache " +
                "internet-service-app-ctrl-size application-bandwidth-tracking gui-proxy-inspection"),
                Words("")),
            ["firewall policy"] = (Words(
                "status name uuid srcintf dstintf action nat64 nat46 ztna-status ztna-device-ownership srcaddr " +
                "dstaddr srcaddr6 dstaddr6 ztna-ems-tag ztna-ems-tag-secondary ztna-tags-match-logic ztna-geo-tag " +
                "internet-service internet-service-name internet-service-group internet-service-custom " +
                "network-service-dynamic internet-service-custom-group internet-service-src internet-service-src-name " +
                "internet-service-src-group internet-service-src-custom network-service-src-dynamic " +
                "internet-service-src-custom-group reputation-minimum reputation-direction src-vendor-mac " +
                "internet-service6 internet-service6-name internet-service6-group internet-service6-custom " +
                "internet-service6-custom-group internet-service6-src internet-service6-src-name " +
                "internet-service6-src-group internet-service6-src-custom internet-service6-src-custom-group " +
                "reputation-minimum6 reputation-direction6 rtp-nat rtp-addr send-deny-packet firewall-session-dirty " +
                "schedule schedule-timeout policy-expiry policy-expiry-date policy-expiry-date-utc service tos-mask " +
                "tos tos-negate anti-replay tcp-session-without-syn geoip-anycast geoip-match dynamic-shaping " +
                "passive-wan-health-measurement app-monitor utm-status inspection-mode http-policy-redirect " +
                "ssh-policy-redirect ztna-policy-redirect webproxy-profile profile-type profile-group " +
                "profile-protocol-options ssl-ssh-profile av-profile webfilter-profile dnsfilter-profile " +
                "emailfilter-profile dlp-profile file-filter-profile ips-sensor application-list voip-profile " +
                "ips-voip-filter sctp-filter-profile diameter-filter-profile virtual-patch-profile icap-profile " +
                "videofilter-profile waf-profile ssh-filter-profile casb-profile telemetry-profile logtraffic " +
                "logtraffic-start log-http-transaction capture-packet auto-asic-offload np-acceleration wanopt " +
                "wanopt-detection wanopt-passive-opt wanopt-profile wanopt-peer webcache webcache-https " +
                "webproxy-forward-server traffic-shaper traffic-shaper-reverse per-ip-shaper nat pcp-outbound " +
                "pcp-inbound pcp-poolname permit-any-host permit-stun-host fixedport port-preserve port-random ippool " +
                "poolname poolname6 session-ttl vlan-cos-fwd vlan-cos-rev inbound outbound natinbound natoutbound fec " +
                "wccp ntlm ntlm-guest ntlm-enabled-browsers fsso-agent-for-ntlm groups users fsso-groups auth-path " +
                "disclaimer email-collect vpntunnel natip match-vip match-vip-only diffserv-copy diffserv-forward " +
                "diffserv-reverse diffservcode-forward diffservcode-rev tcp-mss-sender tcp-mss-receiver comments " +
                "gtp-profile pfcp-profile auth-cert auth-redirect-addr redirect-url identity-based-route " +
                "block-notification custom-log-fields replacemsg-override-group srcaddr-negate srcaddr6-negate " +
                "dstaddr-negate dstaddr6-negate ztna-ems-tag-negate service-negate internet-service-negate " +
                "internet-service-src-negate internet-service6-negate internet-service6-src-negate timeout-send-rst " +
                "captive-portal-exempt decrypted-traffic-mirror dsri radius-mac-auth-bypass radius-ip-auth-bypass " +
                "delay-tcp-npu-session vlan-filter sgt-check sgt cifs-profile"),
                Words("")),
            ["vpn ipsec phase1-interface"] = (Words(
                "type interface ip-version ike-version local-gw local-gw6 remote-gw remote-gw6 remotegw-ddns keylife " +
                "certificate authmethod authmethod-remote mode peertype peerid default-gw default-gw-priority usrgrp " +
                "peer peergrp monitor-dict monitor-min monitor-hold-down-type monitor-hold-down-delay " +
                "monitor-hold-down-weekday monitor-hold-down-time net-device passive-mode exchange-interface-ip " +
                "exchange-ip-addr4 exchange-ip-addr6 aggregate-member aggregate-weight mode-cfg " +
                "mode-cfg-allow-client-selector assign-ip assign-ip-from ipv4-start-ip ipv4-end-ip ipv4-netmask " +
                "dhcp-ra-giaddr dhcp6-ra-linkaddr dns-mode ipv4-dns-server1 ipv4-dns-server2 ipv4-dns-server3 " +
                "internal-domain-list ipv4-wins-server1 ipv4-wins-server2 ipv4-split-include split-include-service " +
                "ipv4-name ipv6-start-ip ipv6-end-ip ipv6-prefix ipv6-dns-server1 ipv6-dns-server2 ipv6-dns-server3 " +
                "ipv6-split-include ipv6-name ip-delay-interval unity-support domain banner include-local-lan " +
                "ipv4-split-exclude ipv6-split-exclude save-password client-auto-negotiate client-keep-alive " +
                "backup-gateway proposal add-route add-gw-route psksecret psksecret-remote keepalive distance " +
                "priority localid localid-type auto-negotiate negotiate-timeout fragmentation ip-fragmentation dpd " +
                "dpd-retrycount dpd-retryinterval comments npu-offload send-cert-chain dhgrp addke1 addke2 addke3 " +
                "addke4 addke5 addke6 addke7 suite-b eap eap-identity eap-exclude-peergrp eap-cert-auth acct-verify " +
                "ppk ppk-secret ppk-identity wizard-type xauthtype reauth authusr authpasswd group-authentication " +
                "group-authentication-secret authusrgrp mesh-selector-type idle-timeout shared-idle-timeout " +
                "idle-timeoutinterval ha-sync-esp-seqno fgsp-sync inbound-dscp-copy auto-discovery-sender " +
                "auto-discovery-receiver auto-discovery-forwarder auto-discovery-psk auto-discovery-shortcuts " +
                "auto-discovery-crossover auto-discovery-offer-interval auto-discovery-dialup-placeholder " +
                "encapsulation encapsulation-address encap-local-gw4 encap-local-gw6 encap-remote-gw4 " +
                "encap-remote-gw6 vni nattraversal esn fragmentation-mtu childless-ike azure-ad-autoconnect " +
                "client-resume client-resume-interval rekey digital-signature-auth signature-hash-alg " +
                "rsa-signature-format rsa-signature-hash-override enforce-unique-id cert-id-validation fec-egress " +
                "fec-send-timeout fec-base fec-codec fec-redundant fec-ingress fec-receive-timeout fec-health-check " +
                "fec-mapping-profile network-overlay network-id dev-id-notification dev-id loopback-asymroute " +
                "link-cost kms exchange-fgt-device-id ipv6-auto-linklocal ems-sn-check cert-trust-store qkd " +
                "qkd-hybrid qkd-profile transport fortinet-esp auto-transport-threshold remote-gw-match " +
                "remote-gw-subnet remote-gw-start-ip remote-gw-end-ip remote-gw-country remote-gw-ztna-tags " +
                "remote-gw6-match remote-gw6-subnet remote-gw6-start-ip remote-gw6-end-ip remote-gw6-country " +
                "cert-peer-username-validation cert-peer-username-strip fallback-tcp-threshold monitor " +
                "forticlient-enforcement"),
                Words("ipv4-exclude-range ipv6-exclude-range")),
            ["vpn ipsec phase2-interface"] = (Words(
                "phase1name dhcp-ipsec proposal pfs dhgrp addke1 addke2 addke3 addke4 addke5 addke6 addke7 replay " +
                "keepalive auto-negotiate add-route inbound-dscp-copy auto-discovery-sender auto-discovery-forwarder " +
                "keylifeseconds keylifekbs keylife-type single-source route-overlap encapsulation l2tp comments " +
                "initiator-ts-narrow diffserv diffservcode protocol src-name src-name6 src-addr-type src-start-ip " +
                "src-start-ip6 src-end-ip src-end-ip6 src-subnet src-subnet6 src-port dst-name dst-name6 " +
                "dst-addr-type dst-start-ip dst-start-ip6 dst-end-ip dst-end-ip6 dst-subnet dst-subnet6 dst-port " +
                "ipv4-df"),
                Words("")),
            ["system interface"] = (Words(
                "vdom vrf fortilink switch-controller-source-ip mode distance priority " +
                "dhcp-relay-interface-select-method dhcp-relay-interface dhcp-relay-vrf-select dhcp-broadcast-flag " +
                "dhcp-relay-service dhcp-relay-ip dhcp-relay-source-ip dhcp-relay-circuit-id " +
                "dhcp-relay-link-selection dhcp-relay-request-all-server dhcp-relay-allow-no-end-option " +
                "dhcp-relay-type dhcp-smart-relay dhcp-relay-agent-option dhcp-classless-route-addition management-ip " +
                "ip allowaccess gwdetect detectserver detectprotocol ha-priority fail-detect fail-detect-option " +
                "fail-alert-method fail-action-on-extender fail-alert-interfaces dhcp-client-identifier " +
                "dhcp-renew-time ipunnumbered username pppoe-egress-cos pppoe-unnumbered-negotiate password " +
                "idle-timeout disc-retry-timeout padt-retry-timeout service-name ac-name lcp-echo-interval " +
                "lcp-max-echo-fails defaultgw dns-server-override dns-server-protocol auth-type pptp-client pptp-user " +
                "pptp-password pptp-server-ip pptp-auth-type pptp-timeout arpforward ndiscforward broadcast-forward " +
                "bfd bfd-desired-min-tx bfd-detect-mult bfd-required-min-rx l2forward icmp-send-redirect " +
                "icmp-accept-redirect reachable-time vlanforward stpforward stpforward-mode ips-sniffer-mode " +
                "ident-accept ipmac subst macaddr virtual-mac substitute-dst-mac speed status netbios-forward wins-ip " +
                "type dedicated-to trust-ip-1 trust-ip-2 trust-ip-3 trust-ip6-1 trust-ip6-2 trust-ip6-3 wccp " +
                "netflow-sampler netflow-sample-rate netflow-sampler-id sflow-sampler drop-fragment src-check " +
                "sample-rate polling-interval sample-direction explicit-web-proxy explicit-ftp-proxy " +
                "proxy-captive-portal tcp-mss inbandwidth outbandwidth egress-shaping-profile ingress-shaping-profile " +
                "spillover-threshold ingress-spillover-threshold weight interface external mtu-override mtu " +
                "vlan-protocol vlanid gi-gk forward-domain remote-ip member lacp-mode lacp-ha-secondary " +
                "system-id-type system-id lacp-speed min-links min-links-down algorithm link-up-delay aggregate-type " +
                "priority-override sw-algorithm description alias security-mode security-mac-auth-bypass " +
                "security-ip-auth-bypass security-external-web security-external-logout replacemsg-override-group " +
                "security-redirect-url auth-cert auth-portal-addr security-exempt-list security-groups " +
                "ike-saml-server device-identification exclude-signatures device-user-identification lldp-reception " +
                "lldp-transmission lldp-network-policy estimated-upstream-bandwidth estimated-downstream-bandwidth " +
                "measured-upstream-bandwidth measured-downstream-bandwidth bandwidth-measure-time monitor-bandwidth " +
                "vrrp-virtual-mac role snmp-index secondary-IP preserve-session-route auto-auth-extension-device " +
                "ap-discover telemetry-discover fortilink-neighbor-detect ip-managed-by-fortiipam " +
                "managed-subnetwork-size fortilink-split-interface internal switch-controller-access-vlan " +
                "switch-controller-traffic-policy switch-controller-rspan-mode switch-controller-netflow-collect " +
                "switch-controller-mgmt-vlan switch-controller-igmp-snooping switch-controller-igmp-snooping-proxy " +
                "switch-controller-igmp-snooping-fast-leave switch-controller-dhcp-snooping " +
                "switch-controller-dhcp-snooping-verify-mac switch-controller-dhcp-snooping-option82 " +
                "switch-controller-arp-inspection switch-controller-learning-limit switch-controller-nac " +
                "switch-controller-dynamic switch-controller-feature switch-controller-iot-scanning " +
                "switch-controller-offload switch-controller-offload-ip switch-controller-offload-gw color " +
                "ingress-cos egress-cos eap-supplicant eap-method eap-identity eap-password eap-ca-cert eap-user-cert " +
                "default-purdue-level drop-overlapped-fragment swc-first-create disconnect-threshold"),
                Words("client-options vrrp secondaryip dhcp-snooping-server-list tagging egress-queues ipv6")),
            ["system dns"] = (Words(
                "primary secondary protocol ssl-certificate server-hostname domain ip6-primary ip6-secondary timeout " +
                "retry dns-cache-limit dns-cache-ttl cache-notfound-responses source-ip source-ip-interface " +
                "root-servers interface-select-method interface vrf-select server-select-method alt-primary " +
                "alt-secondary log fqdn-cache-ttl fqdn-max-refresh fqdn-min-refresh hostname-ttl hostname-limit"),
                Words("")),
            ["user local"] = (Words(
                "status type passwd ldap-server radius-server saml-server two-factor two-factor-authentication " +
                "two-factor-notification fortitoken email-to sms-server sms-custom-server sms-phone passwd-policy " +
                "passwd-time authtimeout workstation auth-concurrent-override auth-concurrent-value ppk-secret " +
                "ppk-identity qkd-profile username-sensitivity tacacs-plus-server"),
                Words("")),
            ["user group"] = (Words(
                "group-type authtimeout auth-concurrent-override auth-concurrent-value http-digest-realm " +
                "sso-attribute-value member user-id password user-name sponsor company email mobile-phone sms-server " +
                "sms-custom-server expire-type expire max-accounts multiple-guest-add"),
                Words("match guest")),
            ["endpoint-control fctems"] = (Words(
                "status name dirty-reason fortinetone-cloud-authentication cloud-authentication-access-key server " +
                "https-port serial-number tenant-id source-ip pull-sysinfo pull-vulnerabilities pull-tags " +
                "pull-malware-hash capabilities call-timeout out-of-sync-threshold send-tags-to-all-vdoms " +
                "websocket-override interface-select-method interface trust-ca-cn verifying-ca pull-avatars " +
                "preserve-ssl-session cloud-server-type"),
                Words("")),
            ["firewall address"] = (Words(
                "uuid subnet type route-tag sub-type clearpass-spt macaddr start-ip end-ip fqdn country wildcard-fqdn " +
                "cache-ttl wildcard sdn fsso-group sso-attribute-value interface tenant organization epg-name " +
                "subnet-name sdn-tag policy-group obj-tag obj-type tag-detection-level tag-type hw-vendor hw-model os " +
                "sw-version comment associated-interface color filter sdn-addr-type node-ip-only obj-id allow-routing " +
                "fabric-object"),
                Words("list tagging")),
            // The certificate tables: the FortiOS 7.4.1/7.4.2 CLI reference pages "config vpn certificate ca",
            // "config vpn certificate local" (its 7.0 parameter list, which 7.4 keeps) and "config user peer".
            ["vpn certificate ca"] = (Words(
                "ca range source ssl-inspection-trusted scep-url est-url auto-update-days auto-update-days-warning " +
                "source-ip ca-identifier obsolete"),
                Words("")),
            ["vpn certificate local"] = (Words(
                "password comments private-key certificate csr state scep-url range source auto-regenerate-days " +
                "auto-regenerate-days-warning scep-password ca-identifier name-encoding source-ip ike-localid " +
                "ike-localid-type enroll-protocol cmp-server cmp-path cmp-server-cert cmp-regeneration-method " +
                "acme-ca-url acme-domain acme-email acme-rsa-key-size acme-renew-window"),
                Words("")),
            ["user peer"] = (Words(
                "ca cn cn-type mandatory-ca-verify mfa-mode mfa-password mfa-server mfa-username ocsp-override-server " +
                "passwd subject two-factor"),
                Words("")),
            ["firewall addrgrp"] = (Words("type category allow-routing member comment uuid exclude exclude-member color fabric-object"),
                Words("tagging")),
        }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Whether FortiOS documents <paramref name="name"/> as a <c>set</c> attribute of the table.</summary>
    public static bool IsAttribute(TableSchema table, ReadOnlySpan<char> name) =>
        ByPath.TryGetValue(table.Path, out var t) && t.Attributes.GetAlternateLookup<ReadOnlySpan<char>>().Contains(name);

    /// <summary>Whether FortiOS documents <c>config &lt;name&gt;</c> as a sub-table of the table's entries.</summary>
    public static bool IsTable(TableSchema table, string name) => ByPath.TryGetValue(table.Path, out var t) && t.Tables.Contains(name);

    /// <summary>The documented attributes PostureGate does not read (for docs/configuration.md).</summary>
    public static IEnumerable<string> Unused(TableSchema table) =>
        ByPath.TryGetValue(table.Path, out var t) ? t.Attributes.Where(a => table.Find(a) is null).Order(StringComparer.Ordinal) : [];

    /// <summary>The documented sub-tables (for docs/configuration.md).</summary>
    public static IEnumerable<string> Tables(TableSchema table) =>
        ByPath.TryGetValue(table.Path, out var t) ? t.Tables.Order(StringComparer.Ordinal) : [];

    private static FrozenSet<string> Words(string words) =>
        words.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToFrozenSet(StringComparer.Ordinal);
}
