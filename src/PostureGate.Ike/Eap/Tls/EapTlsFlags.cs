// RFC 5216 §3.1/§3.2: the Flags octet of an EAP-TLS Request/Response.
//    0 1 2 3 4 5 6 7
//   +-+-+-+-+-+-+-+-+
//   |L M S R R R R R|
//   +-+-+-+-+-+-+-+-+
// L: the four-octet TLS Message Length follows; M: more fragments follow; S: EAP-TLS Start.
// The R bits are reserved: sent as zero, ignored on receipt.
namespace PostureGate.Ike.Eap.Tls;

[Flags]
public enum EapTlsFlags : byte
{
    None = 0,
    Start = 0x20,
    MoreFragments = 0x40,
    LengthIncluded = 0x80,
}
