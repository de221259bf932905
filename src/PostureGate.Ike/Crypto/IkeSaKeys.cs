// RFC 7296 §2.14 Generating Keying Material for the IKE SA, and §2.18 for a
// rekeyed IKE SA:
//   SKEYSEED = prf(Ni | Nr, g^ir)                         (new IKE SA)
//   SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr)       (rekey; the old SA's PRF)
//   {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr} = prf+ (SKEYSEED, Ni | Nr | SPIi | SPIr)
// The seven keys live in one buffer that Dispose zeroes; ToString never shows them.
using System.Buffers.Binary;
using System.Security.Cryptography;
using PostureGate.Proposals;

namespace PostureGate.Ike.Crypto;

public sealed class IkeSaKeys : IDisposable
{
    private readonly byte[] _material;
    private readonly int _prfLength, _integLength, _encLength;
    private bool _disposed;

    private IkeSaKeys(CipherSuite suite, byte[] material)
    {
        Suite = suite;
        _material = material;
        _prfLength = Prf.Get(suite.Prf).OutputSize;
        _integLength = KeyLengths.IntegrityKey(suite);
        _encLength = KeyLengths.EncryptionKeyMaterial(suite);
    }

    /// <summary>The negotiated IKE SA transforms (PRF, encryption + key size, integrity for CBC).</summary>
    public CipherSuite Suite { get; }

    public Prf Prf => Prf.Get(Suite.Prf);

    public ReadOnlySpan<byte> SkD => Slice(0, _prfLength);
    public ReadOnlySpan<byte> SkAi => Slice(_prfLength, _integLength);
    public ReadOnlySpan<byte> SkAr => Slice(_prfLength + _integLength, _integLength);
    public ReadOnlySpan<byte> SkEi => Slice(_prfLength + 2 * _integLength, _encLength);
    public ReadOnlySpan<byte> SkEr => Slice(_prfLength + 2 * _integLength + _encLength, _encLength);
    public ReadOnlySpan<byte> SkPi => Slice(_prfLength + 2 * _integLength + 2 * _encLength, _prfLength);
    public ReadOnlySpan<byte> SkPr => Slice(2 * _prfLength + 2 * _integLength + 2 * _encLength, _prfLength);

    /// <summary>SK_pi for the original initiator's AUTH, SK_pr for the responder's (§2.15).</summary>
    public ReadOnlySpan<byte> SkP(bool ofInitiator) => ofInitiator ? SkPi : SkPr;

    /// <summary>Total prf+ output the suite needs: 3 PRF keys, 2 integrity keys, 2 encryption keys.</summary>
    public static int MaterialLength(CipherSuite suite) =>
        3 * Prf.Get(suite.Prf).OutputSize + 2 * KeyLengths.IntegrityKey(suite) + 2 * KeyLengths.EncryptionKeyMaterial(suite);

    /// <summary>§2.14 for a new IKE SA from IKE_SA_INIT: <paramref name="sharedSecret"/> is g^ir.</summary>
    public static IkeSaKeys Derive(CipherSuite suite, ReadOnlySpan<byte> sharedSecret, ReadOnlySpan<byte> ni, ReadOnlySpan<byte> nr, ulong spiI, ulong spiR)
    {
        var prf = Prf.Get(suite.Prf);
        Span<byte> skeyseed = stackalloc byte[prf.OutputSize];
        var nonces = new byte[ni.Length + nr.Length];
        try
        {
            ni.CopyTo(nonces);
            nr.CopyTo(nonces.AsSpan(ni.Length));
            // §2.14: with HMAC PRFs the key Ni | Nr is used whole (only fixed-key PRFs take halves).
            prf.Compute(nonces, sharedSecret, skeyseed);
            return Expand(suite, skeyseed, ni, nr, spiI, spiR);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(skeyseed);
        }
    }

    /// <summary>
    /// §2.18 for the IKE SA that replaces this one (CREATE_CHILD_SA rekey): SKEYSEED from this SA's SK_d and PRF,
    /// the new suite's PRF for prf+, the new SPIs and nonces.
    /// </summary>
    public IkeSaKeys DeriveRekeyed(CipherSuite newSuite, ReadOnlySpan<byte> sharedSecret, ReadOnlySpan<byte> ni, ReadOnlySpan<byte> nr, ulong newSpiI, ulong newSpiR)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Span<byte> skeyseed = stackalloc byte[Prf.OutputSize];
        try
        {
            Prf.Compute(SkD, sharedSecret, ni, nr, skeyseed);
            return Expand(newSuite, skeyseed, ni, nr, newSpiI, newSpiR);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(skeyseed);
        }
    }

    /// <summary>§2.17 CHILD_SA keys from this SA's SK_d (optionally with a PFS shared secret).</summary>
    public ChildSaKeys DeriveChildSaKeys(CipherSuite childSuite, ReadOnlySpan<byte> ni, ReadOnlySpan<byte> nr, ReadOnlySpan<byte> pfsSharedSecret = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return ChildSaKeys.Derive(Prf, SkD, childSuite, ni, nr, pfsSharedSecret);
    }

    /// <summary>The SK cipher for messages sent by the original initiator (SK_ei/SK_ai) or responder (SK_er/SK_ar).</summary>
    public SkCipher CreateCipher(bool sentByInitiator)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return sentByInitiator ? SkCipher.Create(Suite, SkEi, SkAi) : SkCipher.Create(Suite, SkEr, SkAr);
    }

    private static IkeSaKeys Expand(CipherSuite suite, ReadOnlySpan<byte> skeyseed, ReadOnlySpan<byte> ni, ReadOnlySpan<byte> nr, ulong spiI, ulong spiR)
    {
        // Ni | Nr | SPIi | SPIr: at most 256 + 256 + 16 octets (§3.9 bounds the nonces).
        Span<byte> seed = stackalloc byte[ni.Length + nr.Length + 16];
        ni.CopyTo(seed);
        nr.CopyTo(seed[ni.Length..]);
        BinaryPrimitives.WriteUInt64BigEndian(seed[(ni.Length + nr.Length)..], spiI);
        BinaryPrimitives.WriteUInt64BigEndian(seed[(ni.Length + nr.Length + 8)..], spiR);
        var material = new byte[MaterialLength(suite)];
        Prf.Get(suite.Prf).Expand(skeyseed, seed, material);
        return new IkeSaKeys(suite, material);
    }

    private ReadOnlySpan<byte> Slice(int offset, int length)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _material.AsSpan(offset, length);
    }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_material);
        _disposed = true;
    }

    public override string ToString() => $"IkeSaKeys({Suite.Encryption}/{Suite.Integrity}/{Suite.Prf}, {_material.Length} octets hidden)";
}
