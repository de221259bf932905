using PostureGate.Ike.Crypto;
using PostureGate.Ike.Tests.Messages;
using PostureGate.Proposals;

namespace PostureGate.Ike.Tests.Crypto;

public class ChildSaKeysTests
{
    private static readonly byte[] SkD = StrongSwanMessages.Filled(32, 0x0d);
    private static readonly byte[] Ni = StrongSwanMessages.Filled(32, 0x10);
    private static readonly byte[] Nr = StrongSwanMessages.Filled(32, 0x20);
    private static readonly Prf Sha256 = Prf.Get(PrfAlgorithm.HmacSha2_256);

    // RFC 7296 §2.17: KEYMAT = prf+(SK_d, Ni | Nr); initiator->responder first, encryption before integrity.
    [Fact]
    public void Cbc_TakesEncryptionThenIntegrity_InitiatorToResponderFirst()
    {
        var suite = new CipherSuite("aes256-sha256", EncryptionAlgorithm.AesCbc, 256, IntegrityAlgorithm.HmacSha2_256_128, PrfAlgorithm.None);
        var keymat = new byte[2 * (32 + 32)];
        Sha256.Expand(SkD, [.. Ni, .. Nr], keymat);

        using var keys = ChildSaKeys.Derive(Sha256, SkD, suite, Ni, Nr);
        Assert.Equal(keymat[..32], keys.InitiatorToResponder.EncryptionKey.ToArray());
        Assert.Equal(keymat[32..64], keys.InitiatorToResponder.IntegrityKey.ToArray());
        Assert.Equal(keymat[64..96], keys.ResponderToInitiator.EncryptionKey.ToArray());
        Assert.Equal(keymat[96..], keys.ResponderToInitiator.IntegrityKey.ToArray());
        Assert.Equal(0, keys.InitiatorToResponder.Salt.Length);
    }

    // RFC 4106 §8.1 / RFC 7634 §4: the salt is the last four octets of each direction's encryption material.
    [Theory]
    [InlineData(EncryptionAlgorithm.AesGcm16, 128, 16)]
    [InlineData(EncryptionAlgorithm.ChaCha20Poly1305, 256, 32)]
    public void Aead_SaltFollowsEachKey(EncryptionAlgorithm algorithm, int bits, int keyLength)
    {
        var suite = new CipherSuite("aead", algorithm, bits, IntegrityAlgorithm.None, PrfAlgorithm.None);
        var keymat = new byte[2 * (keyLength + 4)];
        Sha256.Expand(SkD, [.. Ni, .. Nr], keymat);

        using var keys = ChildSaKeys.Derive(Sha256, SkD, suite, Ni, Nr);
        Assert.Equal(keymat[..keyLength], keys.InitiatorToResponder.EncryptionKey.ToArray());
        Assert.Equal(keymat[keyLength..(keyLength + 4)], keys.InitiatorToResponder.Salt.ToArray());
        Assert.Equal(keymat[..(keyLength + 4)], keys.InitiatorToResponder.EncryptionKeyWithSalt.ToArray());
        Assert.Equal(keymat[(keyLength + 4)..(2 * keyLength + 4)], keys.ResponderToInitiator.EncryptionKey.ToArray());
        Assert.Equal(keymat[^4..], keys.ResponderToInitiator.Salt.ToArray());
        Assert.Equal(0, keys.ResponderToInitiator.IntegrityKey.Length);
    }

    [Fact]
    public void Pfs_PrependsTheNewSharedSecret()
    {
        var suite = new CipherSuite("aes128gcm", EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.None, PrfAlgorithm.None);
        var gir = StrongSwanMessages.Filled(32, 0x77);
        var keymat = new byte[ChildSaKeys.MaterialLength(suite)];
        Sha256.Expand(SkD, [.. gir, .. Ni, .. Nr], keymat);
        using var keys = ChildSaKeys.Derive(Sha256, SkD, suite, Ni, Nr, gir);
        Assert.Equal(keymat[..16], keys.InitiatorToResponder.EncryptionKey.ToArray());
    }

    [Fact]
    public void OutboundAndInbound_FollowTheExchangeRole()
    {
        var suite = new CipherSuite("aes128gcm", EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.None, PrfAlgorithm.None);
        using var keys = ChildSaKeys.Derive(Sha256, SkD, suite, Ni, Nr);
        Assert.Same(keys.InitiatorToResponder, keys.Outbound(weInitiatedExchange: true));
        Assert.Same(keys.InitiatorToResponder, keys.Inbound(weInitiatedExchange: false));
        Assert.Same(keys.ResponderToInitiator, keys.Outbound(weInitiatedExchange: false));
    }

    [Fact]
    public void IkeSaKeys_DeriveChildSaKeys_UsesItsSkd()
    {
        using var ike = IkeSaKeys.Derive(StrongSwanMessages.AesCbc128Sha256, [1, 2, 3], Ni, Nr, 1, 2);
        var suite = new CipherSuite("aes128gcm", EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.None, PrfAlgorithm.None);
        using var a = ike.DeriveChildSaKeys(suite, Ni, Nr);
        using var b = ChildSaKeys.Derive(Sha256, ike.SkD, suite, Ni, Nr);
        Assert.Equal(b.ResponderToInitiator.EncryptionKeyWithSalt.ToArray(), a.ResponderToInitiator.EncryptionKeyWithSalt.ToArray());
        Assert.DoesNotContain(Convert.ToHexStringLower(a.InitiatorToResponder.EncryptionKey)[..8], a.ToString() + a.InitiatorToResponder);
    }
}
