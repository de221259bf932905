// RFC 7296 §3.14: protection of the Encrypted payload (and RFC 7383 SKF) for one
// direction of an IKE SA. NSec's shape: this base validates lengths, writes the
// random IV and the padding, and strips the padding after decryption; the sealed
// subclasses implement only the cipher (AES-CBC + HMAC; AES-GCM and ChaCha20-Poly1305).
//
// The whole message lives in one buffer: [ IKE header … SK header (| SKF numbers) ]
// [ IV | ciphertext | ICV ]. Everything before the IV is the AEAD associated data
// (RFC 5282 §5.1, RFC 7634 §3, RFC 7383 §2.5); for CBC the ICV covers everything
// before the ICV (§3.14 "from the first octet of the IKE header through the last
// octet of the Pad Length").
using System.Security.Cryptography;
using PostureGate.Proposals;

namespace PostureGate.Ike.Crypto;

/// <summary>
/// One direction's SK protection (SK_ei/SK_ai or SK_er/SK_ar). Not thread-safe: an IKE SA processes its
/// messages one at a time, so each SA owns its two instances (see <see cref="IkeSaKeys.CreateCipher"/>).
/// </summary>
public abstract class SkCipher : IDisposable
{
    private bool _disposed;

    /// <summary>IV octets sent in front of the ciphertext.</summary>
    public abstract int IvSize { get; }

    /// <summary>Integrity Checksum Data octets at the end (the AEAD tag for GCM/ChaCha20).</summary>
    public abstract int IcvSize { get; }

    /// <summary>The ciphertext (payloads | padding | pad length) is a multiple of this.</summary>
    public abstract int BlockSize { get; }

    /// <summary>
    /// Builds the cipher for one direction: <paramref name="encryptionKey"/> is SK_ei or SK_er (AEAD: key | salt),
    /// <paramref name="integrityKey"/> SK_ai or SK_ar (empty for AEAD). The keys are copied.
    /// </summary>
    public static SkCipher Create(CipherSuite suite, ReadOnlySpan<byte> encryptionKey, ReadOnlySpan<byte> integrityKey)
    {
        if (encryptionKey.Length != KeyLengths.EncryptionKeyMaterial(suite))
            throw new ArgumentException($"{suite.Encryption} wants {KeyLengths.EncryptionKeyMaterial(suite)} key octets", nameof(encryptionKey));
        return suite.Encryption switch
        {
            EncryptionAlgorithm.AesCbc => new AesCbcHmacSkCipher(encryptionKey, Integrity.Get(suite.Integrity), integrityKey),
            EncryptionAlgorithm.AesGcm16 or EncryptionAlgorithm.ChaCha20Poly1305 => new AeadSkCipher(suite.Encryption, encryptionKey),
            _ => throw new NotSupportedException($"{suite.Encryption} is not implemented for IKE"),
        };
    }

    /// <summary>IV | ciphertext | ICV length for <paramref name="plaintextLength"/> octets of inner payloads.</summary>
    public int GetProtectedLength(int plaintextLength) => IvSize + PaddedLength(plaintextLength) + IcvSize;

    /// <summary>The largest plaintext whose protected form fits in <paramref name="protectedLength"/> octets (for SKF sizing).</summary>
    public int GetMaxPlaintextLength(int protectedLength)
    {
        var room = protectedLength - IvSize - IcvSize;
        return room <= 0 ? -1 : room / BlockSize * BlockSize - 1;
    }

    /// <summary>
    /// Encrypts <paramref name="plaintext"/> into <paramref name="message"/>[<paramref name="ivOffset"/>..], which must
    /// be exactly <see cref="GetProtectedLength"/> long; everything before the IV must already be final (it is
    /// authenticated).
    /// </summary>
    public void Protect(Span<byte> message, int ivOffset, ReadOnlySpan<byte> plaintext)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var padded = PaddedLength(plaintext.Length);
        if (message.Length - ivOffset != IvSize + padded + IcvSize)
            throw new ArgumentException("message buffer does not match the protected length", nameof(message));
        var iv = message.Slice(ivOffset, IvSize);
        var body = message.Slice(ivOffset + IvSize, padded);
        var icv = message[^IcvSize..];
        // §3.14: "the IV MUST be chosen at random"; AEAD counters come from a random start too.
        RandomNumberGenerator.Fill(iv);
        plaintext.CopyTo(body);
        // §3.14: padding MAY have any value; zeros leak nothing. The last octet is Pad Length.
        body[plaintext.Length..^1].Clear();
        body[^1] = (byte)(padded - plaintext.Length - 1);
        SealCore(message[..ivOffset], iv, body, icv, message[..^IcvSize]);
    }

    /// <summary>
    /// Verifies and decrypts the SK body of <paramref name="message"/> starting at <paramref name="ivOffset"/> into
    /// <paramref name="plaintext"/> (at least the ciphertext length), returning the inner payload length without
    /// padding. Any failure (short, bad ICV, bad padding) returns false and leaves <paramref name="plaintext"/> zeroed.
    /// </summary>
    public bool TryUnprotect(ReadOnlySpan<byte> message, int ivOffset, Span<byte> plaintext, out int plaintextLength)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        plaintextLength = 0;
        if (ivOffset < 0 || ivOffset > message.Length)
            return false;
        var cipherLength = message.Length - ivOffset - IvSize - IcvSize;
        // §3.14: the ciphertext holds at least the Pad Length octet, in whole blocks.
        if (cipherLength < 1 || cipherLength % BlockSize != 0 || plaintext.Length < cipherLength)
            return false;
        var iv = message.Slice(ivOffset, IvSize);
        var ciphertext = message.Slice(ivOffset + IvSize, cipherLength);
        var icv = message[^IcvSize..];
        var output = plaintext[..cipherLength];
        if (!OpenCore(message[..ivOffset], iv, ciphertext, icv, message[..^IcvSize], output))
        {
            CryptographicOperations.ZeroMemory(output);
            return false;
        }
        var padLength = output[^1];
        if (padLength + 1 > cipherLength)
        {
            CryptographicOperations.ZeroMemory(output);
            return false;
        }
        plaintextLength = cipherLength - padLength - 1;
        return true;
    }

    /// <summary>Encrypts <paramref name="body"/> in place and fills <paramref name="icv"/>.</summary>
    /// <param name="associatedData">Message octets before the IV (AEAD AAD).</param>
    /// <param name="authenticated">Message octets before the ICV (CBC+HMAC ICV input), already holding the IV.</param>
    private protected abstract void SealCore(ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> iv, Span<byte> body,
        Span<byte> icv, ReadOnlySpan<byte> authenticated);

    /// <summary>Authenticates and decrypts; false on any integrity failure.</summary>
    private protected abstract bool OpenCore(ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> ciphertext,
        ReadOnlySpan<byte> icv, ReadOnlySpan<byte> authenticated, Span<byte> plaintext);

    private int PaddedLength(int plaintextLength)
    {
        var withPadLength = plaintextLength + 1;
        return (withPadLength + BlockSize - 1) / BlockSize * BlockSize;
    }

    protected virtual void Dispose(bool disposing) => _disposed = true;

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    public override string ToString() => GetType().Name;
}
