// Deterministic SA parameters for every ESP suite this data plane supports; the keys
// are fixed patterns so known answers can be recomputed independently in the tests.
using System.Net;
using PostureGate.Esp;
using PostureGate.Proposals;

namespace PostureGate.Esp.Tests.Support;

public sealed record TestSuite(string Name, EncryptionAlgorithm Encryption, int KeyBits, IntegrityAlgorithm Integrity)
{
    public bool IsAead => Encryption is EncryptionAlgorithm.AesGcm16 or EncryptionAlgorithm.ChaCha20Poly1305;

    /// <summary>Encryption key material: key, then the 4-octet salt for AEAD ciphers.</summary>
    public byte[] EncryptionKey(byte seed)
    {
        var length = KeyBits / 8 + (IsAead ? 4 : 0);
        return Pattern(length, seed);
    }

    public byte[] IntegrityKey(byte seed) => Integrity switch
    {
        IntegrityAlgorithm.None => [],
        IntegrityAlgorithm.HmacSha1_96 => Pattern(20, (byte)(seed + 0x40)),
        IntegrityAlgorithm.HmacSha2_256_128 => Pattern(32, (byte)(seed + 0x40)),
        IntegrityAlgorithm.HmacSha2_384_192 => Pattern(48, (byte)(seed + 0x40)),
        _ => Pattern(64, (byte)(seed + 0x40)),
    };

    public EspSaConfig Config(uint spi, byte seed, IPEndPoint peer, bool esn = false, int replayWindow = 1024,
        SaLifetime lifetime = default, IReadOnlyList<(IPAddress, IPAddress)>? innerSources = null) =>
        new(spi, Encryption, KeyBits, Integrity, EncryptionKey(seed), IntegrityKey(seed), esn, replayWindow, peer,
            innerSources ?? [(IPAddress.Parse("10.139.1.2"), IPAddress.Parse("10.139.1.2"))], lifetime);

    public override string ToString() => Name;

    private static byte[] Pattern(int length, byte seed)
    {
        var key = new byte[length];
        for (var i = 0; i < length; i++)
            key[i] = (byte)(seed + i * 7);
        return key;
    }

    public static readonly TestSuite[] All =
    [
        new("aes128gcm", EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.None),
        new("aes256gcm", EncryptionAlgorithm.AesGcm16, 256, IntegrityAlgorithm.None),
        new("chacha20poly1305", EncryptionAlgorithm.ChaCha20Poly1305, 256, IntegrityAlgorithm.None),
        new("aes128-sha1", EncryptionAlgorithm.AesCbc, 128, IntegrityAlgorithm.HmacSha1_96),
        new("aes256-sha256", EncryptionAlgorithm.AesCbc, 256, IntegrityAlgorithm.HmacSha2_256_128),
        new("aes192-sha384", EncryptionAlgorithm.AesCbc, 192, IntegrityAlgorithm.HmacSha2_384_192),
        new("aes256-sha512", EncryptionAlgorithm.AesCbc, 256, IntegrityAlgorithm.HmacSha2_512_256),
    ];

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var s in All)
            data.Add(s.Name);
        return data;
    }

    public static TestSuite Get(string name) => All.Single(s => s.Name == name);
}
