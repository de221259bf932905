// How many octets of keying material each transform takes from prf+ (RFC 7296
// §2.14, §2.17): AES key + 4-octet salt for AES-GCM (RFC 5282 §7.1, RFC 4106 §8.1),
// 32 + 4 for ChaCha20-Poly1305 (RFC 7634 §2/§4), the hash length for HMAC
// integrity keys (RFC 4868 §2.1.1).
using PostureGate.Proposals;

namespace PostureGate.Ike.Crypto;

public static class KeyLengths
{
    /// <summary>Implicit salt at the end of an AEAD key (RFC 5282 §7.1, RFC 7634 §4).</summary>
    public const int AeadSaltSize = 4;

    /// <summary>The cipher key alone, without salt.</summary>
    public static int CipherKey(EncryptionAlgorithm algorithm, int keyBits) => algorithm switch
    {
        EncryptionAlgorithm.AesCbc or EncryptionAlgorithm.AesGcm16 when keyBits is 128 or 192 or 256 => keyBits / 8,
        EncryptionAlgorithm.ChaCha20Poly1305 => 32,
        EncryptionAlgorithm.Null => 0,
        _ => throw new NotSupportedException($"{algorithm} with {keyBits}-bit key is not implemented"),
    };

    public static int Salt(EncryptionAlgorithm algorithm) =>
        algorithm is EncryptionAlgorithm.AesGcm16 or EncryptionAlgorithm.ChaCha20Poly1305 ? AeadSaltSize : 0;

    /// <summary>SK_e / KEYMAT encryption length: key followed by salt for AEAD.</summary>
    public static int EncryptionKeyMaterial(CipherSuite suite) =>
        CipherKey(suite.Encryption, suite.KeyBits) + Salt(suite.Encryption);

    /// <summary>SK_a / KEYMAT integrity length; zero for AEAD suites.</summary>
    public static int IntegrityKey(CipherSuite suite) =>
        suite.IsAead || suite.Integrity == IntegrityAlgorithm.None ? 0 : Integrity.Get(suite.Integrity).KeySize;
}
