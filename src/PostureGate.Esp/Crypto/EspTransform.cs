// The cryptographic transform of one ESP SA: RFC 4303 §3.3.2 (outbound encryption and
// ICV) and §3.4.4 (inbound ICV check and decryption), in place on the packet buffer.
// One instance per SA, created at install and reused for every packet; not thread-safe:
// every Seal, Open and Dispose runs under the owning SA's lock (EspSa), so one native
// context never sees two threads. Two implementations: libcrypto EVP contexts keyed once
// per SA (OpenSsl/, the default when libcrypto.so.3 loads and agrees with the BCL) and the
// BCL's AesGcm / ChaCha20Poly1305 / Aes + IncrementalHash; the data plane's options choose.
using PostureGate.Esp.Crypto.OpenSsl;
using PostureGate.Proposals;

namespace PostureGate.Esp.Crypto;

internal abstract class EspTransform : IDisposable
{
    /// <summary>Octets of IV carried in each packet after the sequence number.</summary>
    public abstract int IvLength { get; }

    /// <summary>Octets of ICV at the end of each packet.</summary>
    public abstract int IcvLength { get; }

    /// <summary>RFC 4303 §2.4: payload and trailer end on this boundary (the cipher block, at least 4).</summary>
    public abstract int PadBlockSize { get; }

    /// <summary>Octets of ESP header and IV before the payload.</summary>
    public int HeaderLength => Wire.EspHeader.Length + IvLength;

    /// <summary>Octets added around a payload: header, IV, ICV (padding and trailer not included).</summary>
    public int Overhead => HeaderLength + IcvLength;

    /// <summary>
    /// Encrypts and authenticates <paramref name="esp"/> in place. On entry it holds the ESP header,
    /// room for the IV, the plaintext payload with its trailer, and room for the ICV.
    /// </summary>
    public abstract void Seal(Span<byte> esp, ulong sequence, bool esn);

    /// <summary>
    /// Verifies the ICV and decrypts the payload of <paramref name="esp"/> in place. False when the
    /// ICV does not match or the packet is too short; then the payload holds no plaintext (CBC
    /// leaves the ciphertext, an AEAD zeroes it). Never throws for any packet bytes.
    /// </summary>
    public abstract bool Open(Span<byte> esp, ulong sequence, bool esn);

    /// <summary>Whether a ciphertext of this length (IV and ICV excluded) could have been produced.</summary>
    public virtual bool IsValidCiphertextLength(int length) => length >= Wire.EspTrailer.FixedLength && length % 4 == 0;

    public abstract void Dispose();

    /// <summary>
    /// The implementation <paramref name="requested"/> stands for: <see cref="EspCryptoBackend.Auto"/>
    /// is libcrypto when it loads and agrees with the BCL (checked once per process), else the BCL.
    /// </summary>
    internal static EspCryptoBackend Resolve(EspCryptoBackend requested) =>
        requested != EspCryptoBackend.Auto ? requested : OpenSslEsp.IsAvailable ? EspCryptoBackend.OpenSsl : EspCryptoBackend.Bcl;

    /// <summary>
    /// Builds the transform for a negotiated suite. Throws <see cref="ArgumentException"/> when the
    /// suite or key lengths are not ones ESP supports here (control-plane input, not packets).
    /// <paramref name="use"/> says which of Seal and Open the caller will call (an SA is one
    /// direction; the libcrypto transforms key a context for that direction only).
    /// </summary>
    public static EspTransform Create(EncryptionAlgorithm encryption, int keyBits, IntegrityAlgorithm integrity,
        ReadOnlySpan<byte> encryptionKey, ReadOnlySpan<byte> integrityKey,
        EspTransformUse use = EspTransformUse.Both, EspCryptoBackend backend = EspCryptoBackend.Auto)
    {
        backend = Resolve(backend);
        if (backend == EspCryptoBackend.OpenSsl && !LibCrypto.IsLoaded)
            throw new PlatformNotSupportedException("libcrypto.so.3 is not available for ESP");
        var openSsl = backend == EspCryptoBackend.OpenSsl;
        switch (encryption)
        {
            case EncryptionAlgorithm.AesGcm16:
                // RFC 5282 §8 / RFC 4106 §8.1: no separate integrity transform with an AEAD.
                RequireNoIntegrity(integrity);
                if (keyBits is not (128 or 192 or 256))
                    throw new ArgumentException($"AES-GCM key length {keyBits} is not 128, 192 or 256", nameof(keyBits));
                RequireLength(encryptionKey, keyBits / 8 + AeadEspTransform.SaltLength, "AES-GCM key material");
                return openSsl
                    ? new OpenSslAeadEspTransform($"AES-{keyBits}-GCM", encryptionKey, use)
                    : new AesGcmEspTransform(encryptionKey);
            case EncryptionAlgorithm.ChaCha20Poly1305:
                RequireNoIntegrity(integrity);
                if (keyBits is not (0 or 256))
                    throw new ArgumentException($"ChaCha20-Poly1305 key length {keyBits} is not 256", nameof(keyBits));
                // RFC 7634 §2: 256-bit key followed by a 32-bit salt.
                RequireLength(encryptionKey, 32 + AeadEspTransform.SaltLength, "ChaCha20-Poly1305 key material");
                return openSsl
                    ? new OpenSslAeadEspTransform("ChaCha20-Poly1305", encryptionKey, use)
                    : new ChaCha20Poly1305EspTransform(encryptionKey);
            case EncryptionAlgorithm.AesCbc:
                if (keyBits is not (128 or 192 or 256))
                    throw new ArgumentException($"AES-CBC key length {keyBits} is not 128, 192 or 256", nameof(keyBits));
                RequireLength(encryptionKey, keyBits / 8, "AES-CBC key");
                var (hash, keyLength, icvLength) = AesCbcHmacEspTransform.Describe(integrity);
                RequireLength(integrityKey, keyLength, "integrity key");
                return openSsl
                    ? new OpenSslAesCbcHmacEspTransform(encryptionKey, hash, integrityKey, icvLength, use)
                    : new BclAesCbcHmacEspTransform(encryptionKey, hash, integrityKey, icvLength);
            default:
                throw new ArgumentException($"encryption transform {encryption} is not supported for ESP", nameof(encryption));
        }
    }

    private static void RequireNoIntegrity(IntegrityAlgorithm integrity)
    {
        if (integrity != IntegrityAlgorithm.None)
            throw new ArgumentException("an AEAD cipher takes no integrity transform (RFC 5282 §8)", nameof(integrity));
    }

    private static void RequireLength(ReadOnlySpan<byte> key, int expected, string what)
    {
        if (key.Length != expected)
            throw new ArgumentException($"{what} is {key.Length} octets, expected {expected}");
    }
}

/// <summary>Which of Seal and Open a transform serves.</summary>
[Flags]
internal enum EspTransformUse
{
    Seal = 1,
    Open = 2,
    Both = Seal | Open,
}
