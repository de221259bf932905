// RFC 7296 §3.6 "Certificate Encoding".
namespace PostureGate.Ike.Messages.Payloads;

public enum CertEncoding : byte
{
    Pkcs7WrappedX509 = 1,
    Pgp = 2,
    DnsSignedKey = 3,
    X509Signature = 4,
    Kerberos = 6,
    Crl = 7,
    Arl = 8,
    Spki = 9,
    X509Attribute = 10,
    RawRsaKey = 11,
    HashAndUrlX509 = 12,
    HashAndUrlX509Bundle = 13,
}
