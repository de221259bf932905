using System.Buffers.Binary;
using PostureGate.Ike.Crypto;
using PostureGate.Ike.Tests.Messages;
using PostureGate.Proposals;

namespace PostureGate.Ike.Tests.Crypto;

public class IkeSaKeysTests
{
    private static readonly byte[] Ni = StrongSwanMessages.Filled(32, 0x10);
    private static readonly byte[] Nr = StrongSwanMessages.Filled(32, 0x20);
    private static readonly byte[] Gir = StrongSwanMessages.Filled(256, 0x30);
    private const ulong SpiI = 0x1122334455667788, SpiR = 0x99aabbccddeeff00;

    private static byte[] Spis(ulong i, ulong r)
    {
        var b = new byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(b, i);
        BinaryPrimitives.WriteUInt64BigEndian(b.AsSpan(8), r);
        return b;
    }

    // RFC 7296 §2.14, recomputed step by step from prf and prf+.
    [Fact]
    public void Derive_SplitsPrfPlusInTheRfcOrder()
    {
        var suite = StrongSwanMessages.AesCbc128Sha256;
        var prf = Prf.Get(suite.Prf);
        var skeyseed = prf.Compute([.. Ni, .. Nr], Gir);
        var stream = new byte[32 * 3 + 32 * 2 + 16 * 2];
        prf.Expand(skeyseed, [.. Ni, .. Nr, .. Spis(SpiI, SpiR)], stream);

        using var keys = IkeSaKeys.Derive(suite, Gir, Ni, Nr, SpiI, SpiR);
        Assert.Equal(stream[..32], keys.SkD.ToArray());
        Assert.Equal(stream[32..64], keys.SkAi.ToArray());
        Assert.Equal(stream[64..96], keys.SkAr.ToArray());
        Assert.Equal(stream[96..112], keys.SkEi.ToArray());
        Assert.Equal(stream[112..128], keys.SkEr.ToArray());
        Assert.Equal(stream[128..160], keys.SkPi.ToArray());
        Assert.Equal(stream[160..192], keys.SkPr.ToArray());
        Assert.Equal(192, IkeSaKeys.MaterialLength(suite));
    }

    [Fact]
    public void AeadSuite_HasNoIntegrityKeys_AndSaltedEncryptionKeys()
    {
        var suite = new CipherSuite("aes256gcm", EncryptionAlgorithm.AesGcm16, 256, IntegrityAlgorithm.None, PrfAlgorithm.HmacSha2_384);
        using var keys = IkeSaKeys.Derive(suite, Gir, Ni, Nr, SpiI, SpiR);
        Assert.Equal(0, keys.SkAi.Length);
        Assert.Equal(36, keys.SkEi.Length);
        Assert.Equal(48, keys.SkPr.Length);
    }

    // RFC 7296 §2.18: SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr) with the old PRF; prf+ with the new PRF.
    [Fact]
    public void Rekey_UsesOldSkdAndOldPrf_ThenTheNewSuite()
    {
        using var old = IkeSaKeys.Derive(StrongSwanMessages.AesCbc128Sha256, Gir, Ni, Nr, SpiI, SpiR);
        var newSuite = new CipherSuite("chacha", EncryptionAlgorithm.ChaCha20Poly1305, 256, IntegrityAlgorithm.None, PrfAlgorithm.HmacSha2_512);
        var ni2 = StrongSwanMessages.Filled(32, 0x40);
        var nr2 = StrongSwanMessages.Filled(32, 0x50);
        var gir2 = StrongSwanMessages.Filled(32, 0x60);
        using var rekeyed = old.DeriveRekeyed(newSuite, gir2, ni2, nr2, 5, 6);

        var skeyseed = Prf.Get(PrfAlgorithm.HmacSha2_256).Compute(old.SkD, [.. gir2, .. ni2, .. nr2]);
        var stream = new byte[IkeSaKeys.MaterialLength(newSuite)];
        Prf.Get(PrfAlgorithm.HmacSha2_512).Expand(skeyseed, [.. ni2, .. nr2, .. Spis(5, 6)], stream);
        Assert.Equal(stream[..64], rekeyed.SkD.ToArray());
        Assert.Equal(stream[^64..], rekeyed.SkPr.ToArray());
        Assert.Equal(newSuite, rekeyed.Suite);
    }

    [Fact]
    public void Ciphers_MatchDirection()
    {
        using var keys = IkeSaKeys.Derive(StrongSwanMessages.AesCbc128Sha256, Gir, Ni, Nr, SpiI, SpiR);
        using var initiatorOut = keys.CreateCipher(true);
        using var initiatorIn = keys.CreateCipher(true);
        using var responder = keys.CreateCipher(false);
        var message = new byte[32 + initiatorOut.GetProtectedLength(5)];
        initiatorOut.Protect(message, 32, [1, 2, 3, 4, 5]);
        var buffer = new byte[message.Length];
        Assert.True(initiatorIn.TryUnprotect(message, 32, buffer, out var length));
        Assert.Equal(5, length);
        Assert.False(responder.TryUnprotect(message, 32, buffer, out _));
    }

    [Fact]
    public void Dispose_ZeroesAndLocks_AndToStringHidesKeys()
    {
        var keys = IkeSaKeys.Derive(StrongSwanMessages.AesCbc128Sha256, Gir, Ni, Nr, SpiI, SpiR);
        var skd = Convert.ToHexStringLower(keys.SkD);
        Assert.DoesNotContain(skd[..8], keys.ToString());
        keys.Dispose();
        Assert.Throws<ObjectDisposedException>(() => keys.SkD.ToArray());
    }
}
