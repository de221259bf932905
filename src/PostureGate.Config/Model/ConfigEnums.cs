// The enumerated attribute values, one enum per FortiOS option set. Member names
// match the FortiOS words ignoring case and hyphens ("on-idle" → OnIdle); the
// words themselves are listed beside each attribute in Schema/*Schema.cs.
// They live together because each is a handful of lines and they are read together.
namespace PostureGate.Config.Model;

/// <summary><c>set type</c> of phase1-interface.</summary>
public enum Phase1Type { Static, Dynamic, Ddns }

/// <summary><c>set peertype</c>: which peer IDs are accepted.</summary>
public enum PeerType { Any, One, Dialup, Peer, PeerGrp }

/// <summary><c>set eap-identity</c>: where the EAP identity comes from.</summary>
public enum EapIdentity { UseIdPayload, SendRequest }

/// <summary>PostureGate's <c>set eap-method</c>: the EAP method the gateway runs as EAP server.</summary>
public enum EapMethod { MsChapV2, Tls }

/// <summary><c>set assign-ip-from</c>: the source of mode-cfg addresses.</summary>
public enum AssignIpFrom { Range, UsrGrp, Dhcp, Name }

/// <summary><c>set dns-mode</c>: manual servers or the system DNS.</summary>
public enum DnsMode { Manual, Auto }

/// <summary><c>set authmethod</c> of phase1-interface (not the RFC 7296 §3.8 wire Auth Method).</summary>
public enum Phase1AuthMethod { Psk, Signature }

public enum NatTraversal { Enable, Disable, Forced }

public enum PolicyAction { Accept, Deny, Ipsec }

public enum AddressType { IpMask, IpRange, Dynamic, Geography }

/// <summary><c>set sub-type</c> of a dynamic address; PostureGate implements EMS tags.</summary>
public enum AddressSubType { Sdn, EmsTag }

/// <summary>phase2 <c>src-addr-type</c> / <c>dst-addr-type</c>.</summary>
public enum SelectorType { Subnet, Range, Ip, Name }

public enum LocalUserType { Password, Radius, TacacsPlus, Ldap }

public enum InterfaceStatus { Up, Down }

public enum InterfaceType { Physical, Vlan, Loopback, Aggregate, Tunnel }

/// <summary><c>set range</c> of a certificate: FortiOS's VDOM scope (one VDOM here, so no effect).</summary>
public enum CertificateRange { Global, Vdom }

/// <summary><c>set source</c> of a certificate: where FortiOS says it came from.</summary>
public enum CertificateSource { Factory, User, Bundle }

/// <summary><c>set cn-type</c> of a user peer: how <c>cn</c> is compared.</summary>
public enum PeerCnType { String, Email, Fqdn, Ipv4, Ipv6 }
