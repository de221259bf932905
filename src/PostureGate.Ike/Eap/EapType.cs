// RFC 3748 §5 method types used here; EAP-TLS is 13 (RFC 5216 §3.1), MS-CHAPv2 is 26
// (draft-kamath-pppext-eap-mschapv2-02 §2, IANA "Method Types").
namespace PostureGate.Ike.Eap;

public enum EapType : byte
{
    Identity = 1,
    Notification = 2,
    Nak = 3,
    Tls = 13,
    MsChapV2 = 26,
}
