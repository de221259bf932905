// One negotiable cipher suite: ENCR with key length, INTEG, and PRF for IKE SAs (RFC 7296 §3.3.2, §3.3.5; AEAD per RFC 5282 §8).
namespace PostureGate.Proposals;

/// <summary>
/// One negotiable suite: an encryption transform with its key length, and, for
/// non-AEAD ciphers, an integrity transform. For IKE SAs (phase 1) the PRF is
/// set; for ESP (phase 2) it is <see cref="PrfAlgorithm.None"/>.
/// </summary>
public readonly record struct CipherSuite(
    string Name,
    EncryptionAlgorithm Encryption,
    int KeyBits,
    IntegrityAlgorithm Integrity,
    PrfAlgorithm Prf)
{
    /// <summary>AEAD ciphers carry integrity inside; RFC 5282 §8 forbids an integrity transform with them.</summary>
    public bool IsAead => Encryption is EncryptionAlgorithm.AesGcm16 or EncryptionAlgorithm.ChaCha20Poly1305;

    /// <summary>
    /// Whether the Key Length attribute is sent: AES variable key sizes need it
    /// (RFC 7296 §3.3.5), ChaCha20-Poly1305 must not have it (RFC 7634 §2).
    /// </summary>
    public bool HasKeyLengthAttribute => Encryption is EncryptionAlgorithm.AesCbc or EncryptionAlgorithm.AesGcm16;

    public override string ToString() => Name;
}
