// ENCR_AES_CBC (RFC 3602 as used by IKEv2, RFC 7296 §3.14) with a separate HMAC
// integrity transform (RFC 4868 §2). Encrypt-then-MAC: the ICV is checked in
// constant time before anything is decrypted.
using System.Security.Cryptography;

namespace PostureGate.Ike.Crypto;

public sealed class AesCbcHmacSkCipher : SkCipher
{
    private readonly Aes _aes;
    private readonly Integrity _integrity;
    private readonly byte[] _integrityKey;

    internal AesCbcHmacSkCipher(ReadOnlySpan<byte> key, Integrity integrity, ReadOnlySpan<byte> integrityKey)
    {
        if (integrityKey.Length != integrity.KeySize)
            throw new ArgumentException($"{integrity} wants a {integrity.KeySize}-octet key", nameof(integrityKey));
        _aes = Aes.Create();
        _aes.SetKey(key);
        _integrity = integrity;
        _integrityKey = integrityKey.ToArray();
    }

    /// <summary>RFC 3602 §3: the IV is one AES block.</summary>
    public override int IvSize => 16;
    public override int IcvSize => _integrity.IcvSize;
    public override int BlockSize => 16;

    private protected override void SealCore(ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> iv, Span<byte> body,
        Span<byte> icv, ReadOnlySpan<byte> authenticated)
    {
        _aes.EncryptCbc(body, iv, body, PaddingMode.None);
        _integrity.Compute(_integrityKey, authenticated, icv);
    }

    private protected override bool OpenCore(ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> ciphertext,
        ReadOnlySpan<byte> icv, ReadOnlySpan<byte> authenticated, Span<byte> plaintext)
    {
        if (!_integrity.Verify(_integrityKey, authenticated, icv))
            return false;
        return _aes.TryDecryptCbc(ciphertext, iv, plaintext, out var written, PaddingMode.None) && written == ciphertext.Length;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _aes.Dispose();
            CryptographicOperations.ZeroMemory(_integrityKey);
        }
        base.Dispose(disposing);
    }
}
