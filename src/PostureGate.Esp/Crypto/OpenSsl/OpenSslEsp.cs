// Whether the ESP data plane may use libcrypto: the library and its symbols load, and one
// packet per cipher family sealed by libcrypto is byte for byte what the BCL seals, and each
// opens the other's. A missing or misbehaving library leaves the BCL in charge (the IKE key
// exchanges decide the same way).
using System.Security.Cryptography;
using PostureGate.Proposals;

namespace PostureGate.Esp.Crypto.OpenSsl;

internal static class OpenSslEsp
{
    private static readonly Lazy<bool> s_available = new(SelfTest);

    public static bool IsAvailable => s_available.Value;

    private static bool SelfTest()
    {
        if (!LibCrypto.IsLoaded)
            return false;
        try
        {
            return Agrees(EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.None, 20, 0)
                && Agrees(EncryptionAlgorithm.ChaCha20Poly1305, 256, IntegrityAlgorithm.None, 36, 0)
                && Agrees(EncryptionAlgorithm.AesCbc, 128, IntegrityAlgorithm.HmacSha2_256_128, 16, 32);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException
            or CryptographicException or PlatformNotSupportedException)
        {
            return false;
        }
    }

    private static bool Agrees(EncryptionAlgorithm encryption, int bits, IntegrityAlgorithm integrity, int keyLength, int integrityLength)
    {
        var key = new byte[keyLength];
        var integrityKey = new byte[integrityLength];
        for (var i = 0; i < key.Length; i++)
            key[i] = (byte)(0x5A ^ i);
        for (var i = 0; i < integrityKey.Length; i++)
            integrityKey[i] = (byte)(0xA5 ^ i);
        using var native = EspTransform.Create(encryption, bits, integrity, key, integrityKey, EspTransformUse.Both, EspCryptoBackend.OpenSsl);
        using var managed = EspTransform.Create(encryption, bits, integrity, key, integrityKey, EspTransformUse.Both, EspCryptoBackend.Bcl);
        FixIv(native);
        FixIv(managed);

        // Header, IV room, three blocks of payload, ICV room.
        var a = new byte[native.HeaderLength + 48 + native.IcvLength];
        for (var i = 0; i < a.Length; i++)
            a[i] = (byte)i;
        var b = (byte[])a.Clone();
        var plaintext = a.AsSpan(native.HeaderLength, 48).ToArray();
        native.Seal(a, 7, esn: true);
        managed.Seal(b, 7, esn: true);
        return a.AsSpan().SequenceEqual(b)
            && managed.Open(a, 7, esn: true) && a.AsSpan(native.HeaderLength, 48).SequenceEqual(plaintext)
            && native.Open(b, 7, esn: true) && b.AsSpan(native.HeaderLength, 48).SequenceEqual(plaintext);
    }

    private static void FixIv(EspTransform transform)
    {
        if (transform is AesCbcHmacEspTransform cbc)
            cbc.IvSource = iv => iv.Fill(0x42);
    }
}
