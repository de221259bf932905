// RFC 3602 AES-CBC with RFC 2404 / RFC 4868 HMACs on libcrypto: one CBC context keyed once per
// SA in its direction (AES decryption needs its own key schedule, so no context serves both)
// and one EVP_MAC HMAC context. Per packet: EVP_CipherInit_ex with the packet's IV only, the
// blocks in place, and the HMAC restarted from its keyed state. Framing is AesCbcHmacEspTransform's.
using System.Security.Cryptography;

namespace PostureGate.Esp.Crypto.OpenSsl;

internal sealed class OpenSslAesCbcHmacEspTransform : AesCbcHmacEspTransform
{
    private readonly EvpCipherContext? _encrypt;
    private readonly EvpCipherContext? _decrypt;
    private readonly EvpHmac? _hmac;

    public OpenSslAesCbcHmacEspTransform(ReadOnlySpan<byte> key, HashAlgorithmName hash, ReadOnlySpan<byte> integrityKey,
        int icvLength, EspTransformUse use) : base(icvLength)
    {
        var algorithm = $"AES-{key.Length * 8}-CBC";
        try
        {
            if ((use & EspTransformUse.Seal) != 0)
                _encrypt = EvpCipherContext.Create(algorithm, key, encrypt: true, padding: false);
            if ((use & EspTransformUse.Open) != 0)
                _decrypt = EvpCipherContext.Create(algorithm, key, encrypt: false, padding: false);
            // HashAlgorithmName's names (SHA1, SHA256, SHA384, SHA512) are OpenSSL's digest names.
            _hmac = EvpHmac.Create(hash.Name!, integrityKey);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    protected override void EncryptCore(Span<byte> payload, ReadOnlySpan<byte> iv)
    {
        var context = _encrypt ?? throw new InvalidOperationException("this ESP transform was built for Open only");
        if (!context.Restart(iv) || !context.Transform(payload))
            throw LibCrypto.Failure("AES-CBC encrypt");
    }

    protected override bool DecryptCore(Span<byte> payload, ReadOnlySpan<byte> iv)
    {
        var context = _decrypt ?? throw new InvalidOperationException("this ESP transform was built for Seal only");
        if (context.Restart(iv) && context.Transform(payload))
            return true;
        // Unreachable for whole blocks; an authenticated packet still must not pass half-decrypted.
        CryptographicOperations.ZeroMemory(payload);
        LibCrypto.ERR_clear_error();
        return false;
    }

    protected override bool MacCore(ReadOnlySpan<byte> authenticated, ReadOnlySpan<byte> esnHigh, Span<byte> mac) =>
        _hmac!.Compute(authenticated, esnHigh, mac) > 0;

    public override void Dispose()
    {
        _encrypt?.Dispose();
        _decrypt?.Dispose();
        _hmac?.Dispose();
    }
}
