// The AEAD SK transforms: AES-GCM with a 16-octet ICV (RFC 5282) and
// ChaCha20-Poly1305 (RFC 7634). Both take key | 4-octet salt from the keying
// material and send an 8-octet explicit IV; the 12-octet nonce is salt | IV
// (RFC 5282 §4, RFC 7634 §3). No padding is needed (block size 1), only the
// Pad Length octet. The AAD is the message up to the IV (RFC 5282 §5.1).
// The two differ only in the BCL primitive, so one class holds either.
using System.Security.Cryptography;
using PostureGate.Proposals;

namespace PostureGate.Ike.Crypto;

public sealed class AeadSkCipher : SkCipher
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _salt;
    private readonly AesGcm? _gcm;
    private readonly ChaCha20Poly1305? _chacha;

    internal AeadSkCipher(EncryptionAlgorithm algorithm, ReadOnlySpan<byte> keyMaterial)
    {
        var key = keyMaterial[..^KeyLengths.AeadSaltSize];
        _salt = keyMaterial[^KeyLengths.AeadSaltSize..].ToArray();
        if (algorithm == EncryptionAlgorithm.AesGcm16)
            _gcm = new AesGcm(key, TagSize);
        else
            _chacha = new ChaCha20Poly1305(key);
        Algorithm = algorithm;
    }

    public EncryptionAlgorithm Algorithm { get; }
    public override int IvSize => 8;
    public override int IcvSize => TagSize;
    public override int BlockSize => 1;

    private protected override void SealCore(ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> iv, Span<byte> body,
        Span<byte> icv, ReadOnlySpan<byte> authenticated)
    {
        Span<byte> nonce = stackalloc byte[NonceSize];
        MakeNonce(iv, nonce);
        if (_gcm is not null)
            _gcm.Encrypt(nonce, body, body, icv, associatedData);
        else
            _chacha!.Encrypt(nonce, body, body, icv, associatedData);
    }

    private protected override bool OpenCore(ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> ciphertext,
        ReadOnlySpan<byte> icv, ReadOnlySpan<byte> authenticated, Span<byte> plaintext)
    {
        Span<byte> nonce = stackalloc byte[NonceSize];
        MakeNonce(iv, nonce);
        try
        {
            if (_gcm is not null)
                _gcm.Decrypt(nonce, ciphertext, icv, plaintext, associatedData);
            else
                _chacha!.Decrypt(nonce, ciphertext, icv, plaintext, associatedData);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            // The BCL reports a forged or corrupted message by exception; here it is a plain false.
            return false;
        }
    }

    private void MakeNonce(ReadOnlySpan<byte> iv, Span<byte> nonce)
    {
        _salt.CopyTo(nonce);
        iv.CopyTo(nonce[_salt.Length..]);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _gcm?.Dispose();
            _chacha?.Dispose();
            CryptographicOperations.ZeroMemory(_salt);
        }
        base.Dispose(disposing);
    }

    public override string ToString() => $"{Algorithm} SK cipher";
}
