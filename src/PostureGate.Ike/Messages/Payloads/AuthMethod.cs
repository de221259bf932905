// RFC 7296 §3.8 "Auth Method", plus RFC 4754 ECDSA, RFC 7619 NULL, RFC 7427 Digital Signature.
namespace PostureGate.Ike.Messages.Payloads;

public enum AuthMethod : byte
{
    RsaDigitalSignature = 1,
    SharedKeyMic = 2,
    DssDigitalSignature = 3,
    EcdsaSha256P256 = 9,
    EcdsaSha384P384 = 10,
    EcdsaSha512P521 = 11,
    GenericSecurePassword = 12,
    Null = 13,
    DigitalSignature = 14,
}
