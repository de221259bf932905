// RFC 3748 §4: the Code field of an EAP packet.
namespace PostureGate.Ike.Eap;

public enum EapCode : byte
{
    Request = 1,
    Response = 2,
    Success = 3,
    Failure = 4,
}
