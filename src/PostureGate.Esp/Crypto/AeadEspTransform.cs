// AEAD ciphers in ESP: RFC 4106 (AES-GCM) and RFC 7634 (ChaCha20-Poly1305) share the
// same shape, so the framing lives here and each cipher supplies only its core.
//
// RFC 4106 §3.1 / RFC 7634 §2: nonce = salt (4 octets, the end of the key material) ‖ IV (8).
// The IV is the 64-bit sequence number: unique per SA, which is all §3.1 requires.
// RFC 4106 §5 / RFC 7634 §2.1: AAD = SPI ‖ seq (8 octets) or SPI ‖ seq-high ‖ seq-low (12, ESN).
using System.Buffers.Binary;
using System.Security.Cryptography;
using PostureGate.Esp.Wire;

namespace PostureGate.Esp.Crypto;

internal abstract class AeadEspTransform : EspTransform
{
    public const int SaltLength = 4;
    public const int TagLength = 16;
    protected const int NonceLength = 12;

    private readonly byte[] _salt;

    protected AeadEspTransform(ReadOnlySpan<byte> keyMaterial)
    {
        _salt = keyMaterial[^SaltLength..].ToArray();
    }

    public sealed override int IvLength => 8;

    public sealed override int IcvLength => TagLength;

    // RFC 4106 §3.2: no block alignment beyond ESP's 4 octets.
    public sealed override int PadBlockSize => 4;

    protected abstract void EncryptCore(ReadOnlySpan<byte> nonce, Span<byte> data, Span<byte> tag, ReadOnlySpan<byte> aad);

    /// <summary>
    /// Decrypts in place; false (or, the BCL's contract, <see cref="AuthenticationTagMismatchException"/>)
    /// on a bad tag, and then <paramref name="data"/> holds no plaintext (zeroed).
    /// </summary>
    protected abstract bool DecryptCore(ReadOnlySpan<byte> nonce, Span<byte> data, ReadOnlySpan<byte> tag, ReadOnlySpan<byte> aad);

    protected abstract void DisposeCore();

    public sealed override void Seal(Span<byte> esp, ulong sequence, bool esn)
    {
        var iv = esp.Slice(EspHeader.Length, 8);
        BinaryPrimitives.WriteUInt64BigEndian(iv, sequence);
        Span<byte> nonce = stackalloc byte[NonceLength];
        BuildNonce(nonce, iv);
        Span<byte> aad = stackalloc byte[12];
        var aadLength = BuildAad(aad, esp, sequence, esn);
        var payload = esp[HeaderLength..^TagLength];
        EncryptCore(nonce, payload, esp[^TagLength..], aad[..aadLength]);
    }

    public sealed override bool Open(Span<byte> esp, ulong sequence, bool esn)
    {
        if (esp.Length < Overhead)
            return false;
        Span<byte> nonce = stackalloc byte[NonceLength];
        BuildNonce(nonce, esp.Slice(EspHeader.Length, 8));
        Span<byte> aad = stackalloc byte[12];
        var aadLength = BuildAad(aad, esp, sequence, esn);
        try
        {
            return DecryptCore(nonce, esp[HeaderLength..^TagLength], esp[^TagLength..], aad[..aadLength]);
        }
        catch (AuthenticationTagMismatchException)
        {
            return false; // the BCL has zeroed the output
        }
    }

    public sealed override void Dispose()
    {
        CryptographicOperations.ZeroMemory(_salt);
        DisposeCore();
    }

    private void BuildNonce(Span<byte> nonce, ReadOnlySpan<byte> iv)
    {
        _salt.CopyTo(nonce);
        iv.CopyTo(nonce[SaltLength..]);
    }

    private static int BuildAad(Span<byte> aad, ReadOnlySpan<byte> esp, ulong sequence, bool esn)
    {
        esp[..4].CopyTo(aad);
        if (!esn)
        {
            esp.Slice(4, 4).CopyTo(aad[4..]);
            return 8;
        }
        BinaryPrimitives.WriteUInt64BigEndian(aad[4..], sequence);
        return 12;
    }
}

/// <summary>RFC 4106 AES-GCM with a 16-octet ICV (transform ID 20) on the BCL.</summary>
internal sealed class AesGcmEspTransform : AeadEspTransform
{
    private readonly AesGcm _aead;

    public AesGcmEspTransform(ReadOnlySpan<byte> keyMaterial) : base(keyMaterial)
    {
        _aead = new AesGcm(keyMaterial[..^SaltLength], TagLength);
    }

    protected override void EncryptCore(ReadOnlySpan<byte> nonce, Span<byte> data, Span<byte> tag, ReadOnlySpan<byte> aad) =>
        _aead.Encrypt(nonce, data, data, tag, aad);

    protected override bool DecryptCore(ReadOnlySpan<byte> nonce, Span<byte> data, ReadOnlySpan<byte> tag, ReadOnlySpan<byte> aad)
    {
        _aead.Decrypt(nonce, data, tag, data, aad);
        return true;
    }

    protected override void DisposeCore() => _aead.Dispose();
}

/// <summary>RFC 7634 ChaCha20-Poly1305 (transform ID 28) on the BCL.</summary>
internal sealed class ChaCha20Poly1305EspTransform : AeadEspTransform
{
    private readonly ChaCha20Poly1305 _aead;

    public ChaCha20Poly1305EspTransform(ReadOnlySpan<byte> keyMaterial) : base(keyMaterial)
    {
        _aead = new ChaCha20Poly1305(keyMaterial[..^SaltLength]);
    }

    protected override void EncryptCore(ReadOnlySpan<byte> nonce, Span<byte> data, Span<byte> tag, ReadOnlySpan<byte> aad) =>
        _aead.Encrypt(nonce, data, data, tag, aad);

    protected override bool DecryptCore(ReadOnlySpan<byte> nonce, Span<byte> data, ReadOnlySpan<byte> tag, ReadOnlySpan<byte> aad)
    {
        _aead.Decrypt(nonce, data, tag, data, aad);
        return true;
    }

    protected override void DisposeCore() => _aead.Dispose();
}
