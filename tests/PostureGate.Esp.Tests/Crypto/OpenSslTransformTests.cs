// Contract tests run over both ESP crypto implementations (BCL, libcrypto EVP): a forged or
// damaged packet is refused (false, never an exception) and leaves no plaintext behind, the
// persistent context keeps working after a refusal, and malformed input never crashes.
// Plus what only the libcrypto transforms have: one direction per SA, freed contexts refused,
// and the start-up self-test that decides the default.
using PostureGate.Esp.Crypto;
using PostureGate.Esp.Crypto.OpenSsl;
using PostureGate.Esp.Tests.Support;
using PostureGate.Proposals;

namespace PostureGate.Esp.Tests.Crypto;

public class OpenSslTransformTests
{
    private static readonly byte[] Inner = Ipv4Packets.Udp("10.139.1.2", "192.0.2.1", 200);

    // What an attacker can flip: the SPI and sequence (AAD / HMAC input), the IV (nonce), the
    // ciphertext (first and last octet) and the tag.
    public static TheoryData<string, string, string> Tampering()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var suite in TestSuite.All)
            foreach (var backend in new[] { OpenSslTestBackend.Bcl, OpenSslTestBackend.OpenSsl })
                foreach (var where in new[] { "Spi", "Sequence", "Iv", "CiphertextFirst", "CiphertextLast", "Tag" })
                    data.Add(suite.Name, backend, where);
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Tampering))]
    public void TagMismatch_ReturnsFalse_NoPlaintextLeft_ContextStillWorks(string name, string backend, string where)
    {
        var suite = TestSuite.Get(name);
        using var sealer = OpenSslTestBackend.Create(suite, backend, use: EspTransformUse.Seal);
        using var opener = OpenSslTestBackend.Create(suite, backend, use: EspTransformUse.Open);
        var esp = OpenSslTestBackend.Seal(sealer, Inner, 5, esn: false);
        var payload = (sealer.HeaderLength, esp.Length - sealer.HeaderLength - sealer.IcvLength);

        var forged = (byte[])esp.Clone();
        var index = where switch
        {
            "Spi" => 0,
            "Sequence" => 7,
            "Iv" => 8,
            "CiphertextFirst" => sealer.HeaderLength,
            "CiphertextLast" => esp.Length - sealer.IcvLength - 1,
            _ => esp.Length - 1,
        };
        forged[index] ^= 0x01;
        var before = (byte[])forged.Clone();

        Assert.False(opener.Open(forged, 5, esn: false));
        var left = forged.AsSpan(payload.Item1, payload.Item2);
        Assert.DoesNotContain(Convert.ToHexString(Inner.AsSpan(20, 100)), Convert.ToHexString(forged));
        if (suite.IsAead)
            Assert.True(left.IndexOfAnyExcept((byte)0) < 0, "an AEAD zeroes the payload it refused");
        else
            Assert.Equal(before, forged); // CBC checks the ICV before decrypting anything

        // The same keyed context opens the genuine packet straight after the refusal.
        Assert.Equal(Inner, OpenSslTestBackend.Open(opener, esp, 5, esn: false, Inner.Length));
    }

    [SkippableTheory]
    [MemberData(nameof(OpenSslTestBackend.SuitesAndBackends), MemberType = typeof(OpenSslTestBackend))]
    public void WrongKey_ReturnsFalse(string name, string backend)
    {
        var suite = TestSuite.Get(name);
        using var sealer = OpenSslTestBackend.Create(suite, backend, seed: 0x10);
        using var opener = OpenSslTestBackend.Create(suite, backend, seed: 0x11);
        var esp = OpenSslTestBackend.Seal(sealer, Inner, 1, esn: false);
        Assert.Null(OpenSslTestBackend.Open(opener, esp, 1, esn: false, Inner.Length));
    }

    [SkippableTheory]
    [MemberData(nameof(OpenSslTestBackend.SuitesAndBackends), MemberType = typeof(OpenSslTestBackend))]
    public void MalformedLengths_ReturnFalse_NeverThrow(string name, string backend)
    {
        // Empty, shorter than header + IV + ICV, and (CBC) not a whole number of blocks:
        // RFC 4303 §3.4.4 drops them; nothing may throw or touch memory past the span.
        var suite = TestSuite.Get(name);
        using var opener = OpenSslTestBackend.Create(suite, backend, use: EspTransformUse.Open);
        var random = new Random(17);
        for (var length = 0; length <= opener.Overhead + 40; length++)
        {
            var esp = new byte[length];
            random.NextBytes(esp);
            Assert.False(opener.Open(esp, 1, esn: false), $"length {length}");
            Assert.False(opener.Open(esp.AsSpan(0, length), ulong.MaxValue, esn: true), $"length {length}, ESN");
        }
    }

    [SkippableTheory]
    [MemberData(nameof(OpenSslTestBackend.Suites), MemberType = typeof(OpenSslTestBackend))]
    public void OneDirectionPerSa_TheOtherIsRefused(string name)
    {
        var suite = TestSuite.Get(name);
        using var sealer = OpenSslTestBackend.Create(suite, OpenSslTestBackend.OpenSsl, use: EspTransformUse.Seal);
        using var opener = OpenSslTestBackend.Create(suite, OpenSslTestBackend.OpenSsl, use: EspTransformUse.Open);
        var esp = OpenSslTestBackend.Seal(sealer, Inner, 1, esn: false);
        Assert.Throws<InvalidOperationException>(() => sealer.Open((byte[])esp.Clone(), 1, esn: false));
        Assert.Throws<InvalidOperationException>(() => opener.Seal(OpenSslTestBackend.Layout(opener, Inner, 2), 2, esn: false));
    }

    [SkippableTheory]
    [MemberData(nameof(OpenSslTestBackend.Suites), MemberType = typeof(OpenSslTestBackend))]
    public void Disposed_RefusesUse_InsteadOfTouchingFreedContexts(string name)
    {
        var suite = TestSuite.Get(name);
        var transform = OpenSslTestBackend.Create(suite, OpenSslTestBackend.OpenSsl);
        var esp = OpenSslTestBackend.Seal(transform, Inner, 1, esn: false);
        transform.Dispose();
        transform.Dispose(); // twice is harmless
        Assert.Throws<ObjectDisposedException>(() => transform.Seal(OpenSslTestBackend.Layout(transform, Inner, 2), 2, esn: false));
        Assert.Throws<ObjectDisposedException>(() => transform.Open(esp, 1, esn: false));
    }

    [SkippableFact]
    public void SelfTest_PassesWheneverLibCryptoLoads()
    {
        Skip.IfNot(LibCrypto.IsLoaded, "libcrypto.so.3 is not available");
        Assert.True(OpenSslEsp.IsAvailable);
        Assert.Equal(EspCryptoBackend.OpenSsl, EspTransform.Resolve(EspCryptoBackend.Auto));
        Assert.Equal(EspCryptoBackend.Bcl, EspTransform.Resolve(EspCryptoBackend.Bcl));
    }

    [SkippableFact]
    public void SaTransforms_AreOneDirectionEach()
    {
        // EspSa builds its transform for its own direction: an outbound SA cannot open.
        Skip.IfNot(OpenSslEsp.IsAvailable, "the SAs use the BCL here");
        var (outbound, inbound) = SaFactory.Pair(TestSuite.Get("aes256gcm"));
        Assert.IsType<OpenSslAeadEspTransform>(outbound.TransformForTesting);
        var esp = OpenSslTestBackend.Seal(outbound.TransformForTesting, Inner, 1, esn: false);
        Assert.Throws<InvalidOperationException>(() => outbound.TransformForTesting.Open(esp, 1, esn: false));
        Assert.True(inbound.TransformForTesting.Open(esp, 1, esn: false));
        outbound.Dispose();
        inbound.Dispose();
    }

    [Fact]
    public void OpenSslRequested_WithoutLibCrypto_IsNotSilentlyBcl()
    {
        // Explicitly asking for libcrypto either gets it or fails loudly; only Auto falls back.
        if (LibCrypto.IsLoaded)
        {
            using var t = EspTransform.Create(EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.None, new byte[20], [],
                EspTransformUse.Both, EspCryptoBackend.OpenSsl);
            Assert.IsType<OpenSslAeadEspTransform>(t);
        }
        else
        {
            Assert.Throws<PlatformNotSupportedException>(() => EspTransform.Create(EncryptionAlgorithm.AesGcm16, 128,
                IntegrityAlgorithm.None, new byte[20], [], EspTransformUse.Both, EspCryptoBackend.OpenSsl));
        }
    }
}
