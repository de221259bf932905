using PostureGate.Proposals;

namespace PostureGate.Foundation.Tests.Proposals;

public class FortiOsProposalsTests
{
    // Every name that the seed document configures must be known, with the transforms FortiOS means by it.
    [Theory]
    [InlineData("aes128-sha256", EncryptionAlgorithm.AesCbc, 128, IntegrityAlgorithm.HmacSha2_256_128, PrfAlgorithm.HmacSha2_256)]
    [InlineData("aes256-sha256", EncryptionAlgorithm.AesCbc, 256, IntegrityAlgorithm.HmacSha2_256_128, PrfAlgorithm.HmacSha2_256)]
    [InlineData("aes128gcm-prfsha256", EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.None, PrfAlgorithm.HmacSha2_256)]
    [InlineData("aes256gcm-prfsha384", EncryptionAlgorithm.AesGcm16, 256, IntegrityAlgorithm.None, PrfAlgorithm.HmacSha2_384)]
    [InlineData("chacha20poly1305-prfsha256", EncryptionAlgorithm.ChaCha20Poly1305, 256, IntegrityAlgorithm.None, PrfAlgorithm.HmacSha2_256)]
    public void Phase1_seed_names_map_to_transforms(string name, EncryptionAlgorithm e, int bits, IntegrityAlgorithm i, PrfAlgorithm p)
    {
        Assert.True(FortiOsProposals.TryGetPhase1(name, out var s));
        Assert.Equal((e, bits, i, p), (s.Encryption, s.KeyBits, s.Integrity, s.Prf));
    }

    [Theory]
    [InlineData("aes128-sha1", EncryptionAlgorithm.AesCbc, 128, IntegrityAlgorithm.HmacSha1_96)]
    [InlineData("aes256-sha1", EncryptionAlgorithm.AesCbc, 256, IntegrityAlgorithm.HmacSha1_96)]
    [InlineData("aes128-sha256", EncryptionAlgorithm.AesCbc, 128, IntegrityAlgorithm.HmacSha2_256_128)]
    [InlineData("aes256-sha256", EncryptionAlgorithm.AesCbc, 256, IntegrityAlgorithm.HmacSha2_256_128)]
    [InlineData("aes128gcm", EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.None)]
    [InlineData("aes256gcm", EncryptionAlgorithm.AesGcm16, 256, IntegrityAlgorithm.None)]
    [InlineData("chacha20poly1305", EncryptionAlgorithm.ChaCha20Poly1305, 256, IntegrityAlgorithm.None)]
    public void Phase2_seed_names_map_to_transforms(string name, EncryptionAlgorithm e, int bits, IntegrityAlgorithm i)
    {
        Assert.True(FortiOsProposals.TryGetPhase2(name, out var s));
        Assert.Equal((e, bits, i, PrfAlgorithm.None), (s.Encryption, s.KeyBits, s.Integrity, s.Prf));
    }

    [Theory]
    [InlineData("aes128gcm")]        // a phase 2 name is not a phase 1 name
    [InlineData("des-md5")]          // FortiOS knows it; PostureGate does not negotiate it
    [InlineData("AES128-SHA256")]    // FortiOS names are lower case
    [InlineData("")]
    public void Phase1_unknown_names_are_refused(string name) => Assert.False(FortiOsProposals.TryGetPhase1(name, out _));

    [Fact]
    public void Aead_suites_have_no_integrity_and_cbc_suites_do()
    {
        foreach (var s in FortiOsProposals.Phase1.Concat(FortiOsProposals.Phase2))
            Assert.Equal(s.IsAead, s.Integrity == IntegrityAlgorithm.None);
    }

    [Theory]
    [InlineData("14", KeyExchangeMethod.Modp2048)]
    [InlineData("19", KeyExchangeMethod.Ecp256)]
    [InlineData("20", KeyExchangeMethod.Ecp384)]
    [InlineData("21", KeyExchangeMethod.Ecp521)]
    [InlineData("31", KeyExchangeMethod.Curve25519)]
    public void Dh_groups_parse(string word, KeyExchangeMethod expected)
    {
        Assert.True(FortiOsProposals.TryGetDhGroup(word, out var g));
        Assert.Equal(expected, g);
    }

    [Theory]
    [InlineData("5")]   // MODP-1536 is too weak to offer
    [InlineData("2")]
    [InlineData("+14")]
    [InlineData("014x")]
    public void Unsupported_dh_groups_are_refused(string word) => Assert.False(FortiOsProposals.TryGetDhGroup(word, out _));
}
