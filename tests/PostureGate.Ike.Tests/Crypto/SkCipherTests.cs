using System.Security.Cryptography;
using PostureGate.Ike.Crypto;
using PostureGate.Ike.Tests.Messages;
using PostureGate.Proposals;

namespace PostureGate.Ike.Tests.Crypto;

public class SkCipherTests
{
    public static TheoryData<string> Suites() => new(StrongSwanMessages.AllIkeSuites().Select(s => s.Name));

    private static CipherSuite Suite(string name) => StrongSwanMessages.AllIkeSuites().Single(s => s.Name == name);

    private static SkCipher Create(CipherSuite suite, byte seed = 1) => SkCipher.Create(suite,
        StrongSwanMessages.Filled(KeyLengths.EncryptionKeyMaterial(suite), seed), StrongSwanMessages.Filled(KeyLengths.IntegrityKey(suite), (byte)(seed + 100)));

    private const int HeaderLength = 32; // IKE header + SK generic header, authenticated in clear

    private static byte[] Seal(SkCipher cipher, byte[] plaintext)
    {
        var message = new byte[HeaderLength + cipher.GetProtectedLength(plaintext.Length)];
        StrongSwanMessages.Filled(HeaderLength, 0x70).CopyTo(message, 0);
        cipher.Protect(message, HeaderLength, plaintext);
        return message;
    }

    private static bool Open(SkCipher cipher, byte[] message, out byte[] plaintext)
    {
        var buffer = new byte[message.Length];
        var ok = cipher.TryUnprotect(message, HeaderLength, buffer, out var length);
        plaintext = buffer[..length];
        if (!ok)
            Assert.All(buffer, b => Assert.Equal(0, b));
        return ok;
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void RoundTrip_AtEveryBlockBoundary(string name)
    {
        using var cipher = Create(Suite(name));
        foreach (var length in new[] { 0, 1, 14, 15, 16, 17, 250, 1000 })
        {
            var plaintext = StrongSwanMessages.Filled(length, (byte)length);
            var message = Seal(cipher, plaintext);
            Assert.Equal(0, (message.Length - HeaderLength - cipher.IvSize - cipher.IcvSize) % cipher.BlockSize);
            Assert.True(Open(cipher, message, out var opened));
            Assert.Equal(plaintext, opened);
        }
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void TamperAnywhere_IsDetected(string name)
    {
        using var cipher = Create(Suite(name));
        var message = Seal(cipher, StrongSwanMessages.Filled(100, 3));
        // A header octet (AAD / ICV input), the IV, the ciphertext, the ICV.
        foreach (var offset in new[] { 5, HeaderLength, HeaderLength + cipher.IvSize + 3, message.Length - 1 })
        {
            var tampered = (byte[])message.Clone();
            tampered[offset] ^= 0x01;
            Assert.False(Open(cipher, tampered, out _), $"offset {offset}");
        }
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void WrongKey_IsDetected(string name)
    {
        using var sender = Create(Suite(name), 1);
        using var receiver = Create(Suite(name), 2);
        Assert.False(Open(receiver, Seal(sender, StrongSwanMessages.Filled(40, 3)), out _));
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void TooShort(string name)
    {
        using var cipher = Create(Suite(name));
        var message = Seal(cipher, []);
        Assert.False(Open(cipher, message[..^1], out _));
        Assert.False(Open(cipher, message[..(HeaderLength + cipher.IvSize + cipher.IcvSize)], out _));
    }

    [Fact]
    public void RandomIv_MakesEveryMessageDifferent()
    {
        using var cipher = Create(StrongSwanMessages.AesCbc128Sha256);
        Assert.NotEqual(Seal(cipher, new byte[20]), Seal(cipher, new byte[20]));
    }

    [Fact]
    public void CbcBadPadLength_WithAValidIcv_IsRejected()
    {
        var suite = StrongSwanMessages.AesCbc128Sha256;
        var key = StrongSwanMessages.Filled(16, 1);
        var integKey = StrongSwanMessages.Filled(32, 101);
        using var cipher = SkCipher.Create(suite, key, integKey);
        // One block whose last octet claims 200 octets of padding.
        var block = new byte[16];
        block[15] = 200;
        var message = new byte[HeaderLength + 16 + 16 + 16];
        var iv = message.AsSpan(HeaderLength, 16);
        using (var aes = Aes.Create())
        {
            aes.Key = key;
            aes.EncryptCbc(block, iv, message.AsSpan(HeaderLength + 16, 16), PaddingMode.None);
        }
        Integrity.Get(suite.Integrity).Compute(integKey, message.AsSpan(0, message.Length - 16), message.AsSpan(message.Length - 16));
        Assert.False(Open(cipher, message, out _));
    }

    [Fact]
    public void WrongKeyLength_Throws() =>
        Assert.Throws<ArgumentException>(() => SkCipher.Create(StrongSwanMessages.AesCbc128Sha256, new byte[32], new byte[32]));

    // The Galois/Counter Mode spec (McGrew & Viega), Test Case 4 (AES-128, with AAD), the source RFC 5282's
    // transform builds on: salt | explicit IV = cafebabe | facedbaddecaf888 is the 96-bit nonce.
    [Fact]
    public void AesGcm128_KnownAnswer_TestCase4() => AeadKnownAnswer(
        EncryptionAlgorithm.AesGcm16, 128,
        key: "feffe9928665731c6d6a8f9467308308", salt: "cafebabe", iv: "facedbaddecaf888",
        aad: "feedfacedeadbeeffeedfacedeadbeefabaddad2",
        plaintext: "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
        ciphertext: "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
        tag: "5bc94fbc3221a5db94fae95ae7121a47");

    // GCM spec Test Case 16 (AES-256, with AAD).
    [Fact]
    public void AesGcm256_KnownAnswer_TestCase16() => AeadKnownAnswer(
        EncryptionAlgorithm.AesGcm16, 256,
        key: "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308", salt: "cafebabe", iv: "facedbaddecaf888",
        aad: "feedfacedeadbeeffeedfacedeadbeefabaddad2",
        plaintext: "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
        ciphertext: "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
        tag: "76fc6ece0f4e1768cddf8853bb2d551b");

    // RFC 8439 §2.8.2 (= RFC 7539): constant 07000000 is the salt, 4041424344454647 the IV (RFC 7634 §2).
    [Fact]
    public void ChaCha20Poly1305_KnownAnswer_Rfc8439() => AeadKnownAnswer(
        EncryptionAlgorithm.ChaCha20Poly1305, 256,
        key: "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f", salt: "07000000", iv: "4041424344454647",
        aad: "50515253c0c1c2c3c4c5c6c7",
        plaintext: Convert.ToHexStringLower("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it."u8),
        ciphertext: "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116",
        tag: "1ae10b594f09e26a7e902ecbd0600691");

    private static void AeadKnownAnswer(EncryptionAlgorithm algorithm, int bits, string key, string salt, string iv, string aad,
        string plaintext, string ciphertext, string tag)
    {
        var suite = new CipherSuite("kat", algorithm, bits, IntegrityAlgorithm.None, PrfAlgorithm.HmacSha2_256);
        using var cipher = SkCipher.Create(suite, Convert.FromHexString(key + salt), []);
        var aadBytes = Convert.FromHexString(aad);
        byte[] message = [.. aadBytes, .. Convert.FromHexString(iv), .. Convert.FromHexString(ciphertext), .. Convert.FromHexString(tag)];
        var expected = Convert.FromHexString(plaintext);
        var buffer = new byte[expected.Length];
        Assert.True(cipher.TryUnprotect(message, aadBytes.Length, buffer, out var length));
        Assert.Equal(expected, buffer);
        // The vector's last plaintext octet is read as the §3.14 Pad Length.
        Assert.Equal(expected.Length - expected[^1] - 1, length);
    }
}
