// RFC 3602 AES-CBC with an explicit 16-octet random IV, authenticated by an HMAC
// truncated per RFC 2404 (HMAC-SHA1-96) or RFC 4868 (HMAC-SHA-256-128/-384-192/-512-256).
// Encrypt-then-MAC: RFC 4303 §3.3.2 computes the ICV over the ESP header, IV and
// ciphertext; with ESN the high 32 bits are appended implicitly (RFC 4303 §2.2.1).
// The framing lives here; the BCL (below) and libcrypto (OpenSsl/) supply the cipher and MAC.
using System.Buffers.Binary;
using System.Security.Cryptography;
using PostureGate.Esp.Wire;
using PostureGate.Proposals;

namespace PostureGate.Esp.Crypto;

internal abstract class AesCbcHmacEspTransform : EspTransform
{
    protected const int BlockLength = 16;
    private const int MaxMacLength = 64;

    private readonly int _icvLength;

    protected AesCbcHmacEspTransform(int icvLength)
    {
        _icvLength = icvLength;
    }

    /// <summary>Fills the IV. RFC 3602 §2.1: the IV MUST be unpredictable; tests replace it for known answers.</summary>
    internal SpanAction IvSource { get; set; } = RandomNumberGenerator.Fill;

    internal delegate void SpanAction(Span<byte> destination);

    public sealed override int IvLength => BlockLength;

    public sealed override int IcvLength => _icvLength;

    public sealed override int PadBlockSize => BlockLength;

    /// <summary>The hash, key length and truncated ICV length of an integrity transform.</summary>
    public static (HashAlgorithmName Hash, int KeyLength, int IcvLength) Describe(IntegrityAlgorithm integrity) => integrity switch
    {
        IntegrityAlgorithm.HmacSha1_96 => (HashAlgorithmName.SHA1, 20, 12),             // RFC 2404 §2-§3
        IntegrityAlgorithm.HmacSha2_256_128 => (HashAlgorithmName.SHA256, 32, 16),      // RFC 4868 §2.1-§2.6
        IntegrityAlgorithm.HmacSha2_384_192 => (HashAlgorithmName.SHA384, 48, 24),
        IntegrityAlgorithm.HmacSha2_512_256 => (HashAlgorithmName.SHA512, 64, 32),
        _ => throw new ArgumentException($"integrity transform {integrity} is not supported with AES-CBC", nameof(integrity)),
    };

    // RFC 3602 §3: the ciphertext is a whole number of blocks.
    public sealed override bool IsValidCiphertextLength(int length) => length >= BlockLength && length % BlockLength == 0;

    /// <summary>CBC-encrypts whole blocks in place, chaining from <paramref name="iv"/>.</summary>
    protected abstract void EncryptCore(Span<byte> payload, ReadOnlySpan<byte> iv);

    /// <summary>CBC-decrypts whole blocks in place; false only when the library failed.</summary>
    protected abstract bool DecryptCore(Span<byte> payload, ReadOnlySpan<byte> iv);

    /// <summary>Writes the full HMAC of <paramref name="authenticated"/> ‖ <paramref name="esnHigh"/>; false when the library failed.</summary>
    protected abstract bool MacCore(ReadOnlySpan<byte> authenticated, ReadOnlySpan<byte> esnHigh, Span<byte> mac);

    public sealed override void Seal(Span<byte> esp, ulong sequence, bool esn)
    {
        if (esp.Length < Overhead || !IsValidCiphertextLength(esp.Length - Overhead))
            throw new ArgumentException("the payload is not a whole number of AES blocks", nameof(esp));
        var iv = esp.Slice(EspHeader.Length, BlockLength);
        IvSource(iv);
        EncryptCore(esp[HeaderLength..^_icvLength], iv);
        if (!ComputeIcv(esp[..^_icvLength], sequence, esn, esp[^_icvLength..]))
            throw new CryptographicException("HMAC failed");
    }

    public sealed override bool Open(Span<byte> esp, ulong sequence, bool esn)
    {
        if (esp.Length < Overhead || !IsValidCiphertextLength(esp.Length - Overhead))
            return false;
        Span<byte> icv = stackalloc byte[MaxMacLength];
        if (!ComputeIcv(esp[..^_icvLength], sequence, esn, icv)
            || !CryptographicOperations.FixedTimeEquals(icv[.._icvLength], esp[^_icvLength..]))
            return false;
        return DecryptCore(esp[HeaderLength..^_icvLength], esp.Slice(EspHeader.Length, BlockLength));
    }

    private bool ComputeIcv(ReadOnlySpan<byte> authenticated, ulong sequence, bool esn, Span<byte> icv)
    {
        Span<byte> high = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(high, (uint)(sequence >> 32));
        Span<byte> full = stackalloc byte[MaxMacLength];
        var ok = MacCore(authenticated, esn ? high : [], full);
        full[.._icvLength].CopyTo(icv);
        CryptographicOperations.ZeroMemory(full);
        return ok;
    }
}

/// <summary>AES-CBC and HMAC on the BCL (Aes, IncrementalHash).</summary>
internal sealed class BclAesCbcHmacEspTransform : AesCbcHmacEspTransform
{
    private readonly Aes _aes;
    private readonly ICryptoTransform _encryptor;
    private readonly ICryptoTransform _decryptor;
    private readonly IncrementalHash _hmac;

    // The one-shot Aes.EncryptCbc/DecryptCbc build a native cipher per call (an allocation per
    // packet). The streaming transforms are built once, and keep chaining from the previous call:
    // these hold that last ciphertext block, so each packet's IV can be folded into its first block.
    private readonly byte[] _encryptChain = new byte[BlockLength];
    private readonly byte[] _decryptChain = new byte[BlockLength];
    private byte[] _scratch = new byte[PacketScratch];
    private const int PacketScratch = 2048;

    public BclAesCbcHmacEspTransform(ReadOnlySpan<byte> key, HashAlgorithmName hash, ReadOnlySpan<byte> integrityKey, int icvLength)
        : base(icvLength)
    {
        _aes = Aes.Create();
        var copy = key.ToArray();
        _aes.Key = copy; // the setter keeps its own copy
        CryptographicOperations.ZeroMemory(copy);
        _aes.Mode = CipherMode.CBC;
        _aes.Padding = PaddingMode.None;
        _encryptor = _aes.CreateEncryptor(_aes.Key, new byte[BlockLength]);
        _decryptor = _aes.CreateDecryptor(_aes.Key, new byte[BlockLength]);
        _hmac = IncrementalHash.CreateHMAC(hash, integrityKey);
    }

    // RFC 3602 §2.3 CBC with an explicit IV on the long-lived encryptor: it chains from the last
    // block it produced (C'), so feeding P1 ⊕ IV ⊕ C' makes its first block E(P1 ⊕ IV).
    protected override void EncryptCore(Span<byte> payload, ReadOnlySpan<byte> iv)
    {
        var scratch = Scratch(payload.Length);
        payload.CopyTo(scratch);
        Xor(scratch.AsSpan(0, BlockLength), iv, _encryptChain);
        _encryptor.TransformBlock(scratch, 0, payload.Length, scratch, 0);
        scratch.AsSpan(payload.Length - BlockLength, BlockLength).CopyTo(_encryptChain);
        scratch.AsSpan(0, payload.Length).CopyTo(payload);
    }

    // The decryptor's first block comes out as D(C1) ⊕ C' (C' its previous input's last block);
    // ⊕ C' ⊕ IV turns it into D(C1) ⊕ IV.
    protected override bool DecryptCore(Span<byte> payload, ReadOnlySpan<byte> iv)
    {
        var scratch = Scratch(payload.Length);
        payload.CopyTo(scratch);
        _decryptor.TransformBlock(scratch, 0, payload.Length, scratch, 0);
        Xor(scratch.AsSpan(0, BlockLength), iv, _decryptChain);
        payload[^BlockLength..].CopyTo(_decryptChain);
        scratch.AsSpan(0, payload.Length).CopyTo(payload);
        return true;
    }

    protected override bool MacCore(ReadOnlySpan<byte> authenticated, ReadOnlySpan<byte> esnHigh, Span<byte> mac)
    {
        _hmac.AppendData(authenticated);
        _hmac.AppendData(esnHigh);
        _hmac.GetHashAndReset(mac);
        return true;
    }

    private byte[] Scratch(int length)
    {
        if (_scratch.Length < length)
            _scratch = new byte[length];
        return _scratch;
    }

    private static void Xor(Span<byte> block, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        for (var i = 0; i < BlockLength; i++)
            block[i] ^= (byte)(a[i] ^ b[i]);
    }

    public override void Dispose()
    {
        _encryptor.Dispose();
        _decryptor.Dispose();
        _aes.Dispose();
        _hmac.Dispose();
        CryptographicOperations.ZeroMemory(_scratch);
    }
}
