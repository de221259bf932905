// RFC 5685 §9.2 GW Ident Type: how the REDIRECT and REDIRECTED_FROM notifications name a VPN
// gateway (IANA "IKEv2 Gateway Identity Types"; 0 reserved, 4-240 unassigned, 241-255 private use).
namespace PostureGate.Ike.Messages.Payloads;

public enum GatewayIdentityType : byte
{
    /// <summary>Four octets, network order.</summary>
    Ipv4Address = 1,
    /// <summary>Sixteen octets, network order.</summary>
    Ipv6Address = 2,
    /// <summary>A fully qualified domain name, without a terminator.</summary>
    Fqdn = 3,
}
