// RFC 4106 AES-GCM and RFC 7634 ChaCha20-Poly1305 on libcrypto EVP contexts that are keyed
// once per SA: an outbound SA holds one encrypting context, an inbound SA one decrypting
// context. Per packet: EVP_CipherInit_ex with the 12-octet nonce only, the AAD, the data
// in place, then GET_TAG (seal) or SET_TAG and EVP_CipherFinal_ex (open). Framing (nonce,
// AAD, ESN) is AeadEspTransform's.
using System.Security.Cryptography;

namespace PostureGate.Esp.Crypto.OpenSsl;

internal sealed class OpenSslAeadEspTransform : AeadEspTransform
{
    private readonly EvpCipherContext? _encrypt;
    private readonly EvpCipherContext? _decrypt;

    /// <param name="algorithm">The OpenSSL cipher name: "AES-128-GCM", "AES-256-GCM", "ChaCha20-Poly1305"…</param>
    /// <param name="keyMaterial">The key followed by the 4-octet salt (RFC 4106 §8.1, RFC 7634 §2).</param>
    public OpenSslAeadEspTransform(string algorithm, ReadOnlySpan<byte> keyMaterial, EspTransformUse use) : base(keyMaterial)
    {
        var key = keyMaterial[..^SaltLength];
        try
        {
            // Both ciphers default to a 12-octet nonce already; fixing it keeps that from being an assumption.
            if ((use & EspTransformUse.Seal) != 0)
                _encrypt = EvpCipherContext.Create(algorithm, key, encrypt: true, aeadNonceLength: NonceLength);
            if ((use & EspTransformUse.Open) != 0)
                _decrypt = EvpCipherContext.Create(algorithm, key, encrypt: false, aeadNonceLength: NonceLength);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    protected override void EncryptCore(ReadOnlySpan<byte> nonce, Span<byte> data, Span<byte> tag, ReadOnlySpan<byte> aad)
    {
        var context = _encrypt ?? throw new InvalidOperationException("this ESP transform was built for Open only");
        if (!context.Restart(nonce) || !context.AddAad(aad) || !context.Transform(data) || !context.Finish() || !context.GetTag(tag))
            throw LibCrypto.Failure("AEAD seal");
    }

    protected override bool DecryptCore(ReadOnlySpan<byte> nonce, Span<byte> data, ReadOnlySpan<byte> tag, ReadOnlySpan<byte> aad)
    {
        var context = _decrypt ?? throw new InvalidOperationException("this ESP transform was built for Seal only");
        // The tag goes in first; Finish compares it in constant time once the data has passed.
        if (context.Restart(nonce) && context.SetTag(tag) && context.AddAad(aad) && context.Transform(data) && context.Finish())
            return true;
        // A forged packet was decrypted in place before the tag could be checked: take the
        // plaintext away again, as the BCL does. The error queue is cleared on this path only
        // (a mismatch itself queues nothing); valid packets never pay for ERR_clear_error.
        CryptographicOperations.ZeroMemory(data);
        LibCrypto.ERR_clear_error();
        return false;
    }

    protected override void DisposeCore()
    {
        _encrypt?.Dispose();
        _decrypt?.Dispose();
    }
}
