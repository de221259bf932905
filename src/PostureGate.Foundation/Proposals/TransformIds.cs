// IANA "Internet Key Exchange Version 2 (IKEv2) Parameters" registry, the
// transform types and IDs of RFC 7296 §3.3.2 and the RFCs that added to them
// (RFC 4106/5282 AES-GCM, RFC 7634 ChaCha20-Poly1305, RFC 4868 SHA-2 HMACs,
// RFC 5903 ECP groups, RFC 8031 Curve25519). Numbers only: shared by the
// configuration checks, the IKE layer and the ESP data plane.
namespace PostureGate.Proposals;

/// <summary>RFC 7296 §3.3.2, "Transform Type Values".</summary>
public enum TransformType : byte
{
    Encryption = 1,
    Prf = 2,
    Integrity = 3,
    KeyExchange = 4,
    ExtendedSequenceNumbers = 5,
}

/// <summary>Transform Type 1 IDs used here (RFC 7296 §3.3.2, RFC 5282, RFC 7634).</summary>
public enum EncryptionAlgorithm : ushort
{
    None = 0,
    Null = 11,
    AesCbc = 12,
    AesGcm16 = 20,
    ChaCha20Poly1305 = 28,
}

/// <summary>Transform Type 2 IDs (RFC 7296 §3.3.2, RFC 4868).</summary>
public enum PrfAlgorithm : ushort
{
    None = 0,
    HmacSha1 = 2,
    HmacSha2_256 = 5,
    HmacSha2_384 = 6,
    HmacSha2_512 = 7,
}

/// <summary>Transform Type 3 IDs (RFC 7296 §3.3.2, RFC 4868).</summary>
public enum IntegrityAlgorithm : ushort
{
    None = 0,
    HmacSha1_96 = 2,
    HmacSha2_256_128 = 12,
    HmacSha2_384_192 = 13,
    HmacSha2_512_256 = 14,
}

/// <summary>Transform Type 4 IDs, the Diffie-Hellman groups (RFC 3526, RFC 5903, RFC 8031).</summary>
public enum KeyExchangeMethod : ushort
{
    None = 0,
    Modp2048 = 14,
    Modp3072 = 15,
    Modp4096 = 16,
    Ecp256 = 19,
    Ecp384 = 20,
    Ecp521 = 21,
    Curve25519 = 31,
}

/// <summary>Transform Type 5 IDs (RFC 7296 §3.3.2).</summary>
public enum EsnMode : ushort
{
    NoEsn = 0,
    Esn = 1,
}

/// <summary>Transform attribute types (RFC 7296 §3.3.5): only Key Length is defined.</summary>
public static class TransformAttributes
{
    public const ushort KeyLength = 14;
}
