// draft-kamath-pppext-eap-mschapv2-02 §2: the OpCode of an EAP-MSCHAPv2 packet.
namespace PostureGate.Ike.Eap;

public enum MsChapV2OpCode : byte
{
    Challenge = 1,
    Response = 2,
    Success = 3,
    Failure = 4,
    ChangePassword = 7,
}
