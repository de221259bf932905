// RFC 4868 §2 / RFC 2404: the truncated HMAC integrity transforms
// (AUTH_HMAC_SHA1_96, AUTH_HMAC_SHA2_256_128, _384_192, _512_256). The key is the
// full hash length (RFC 4868 §2.1.1); the ICV is the left half (SHA-1: 96 bits).
using System.Security.Cryptography;
using PostureGate.Proposals;

namespace PostureGate.Ike.Crypto;

public sealed class Integrity
{
    private static readonly Integrity Sha1 = new(IntegrityAlgorithm.HmacSha1_96, HashAlgorithmName.SHA1, 20, 12);
    private static readonly Integrity Sha256 = new(IntegrityAlgorithm.HmacSha2_256_128, HashAlgorithmName.SHA256, 32, 16);
    private static readonly Integrity Sha384 = new(IntegrityAlgorithm.HmacSha2_384_192, HashAlgorithmName.SHA384, 48, 24);
    private static readonly Integrity Sha512 = new(IntegrityAlgorithm.HmacSha2_512_256, HashAlgorithmName.SHA512, 64, 32);

    private Integrity(IntegrityAlgorithm algorithm, HashAlgorithmName hash, int keySize, int icvSize)
    {
        Algorithm = algorithm;
        Hash = hash;
        KeySize = keySize;
        IcvSize = icvSize;
    }

    public IntegrityAlgorithm Algorithm { get; }
    public HashAlgorithmName Hash { get; }
    public int KeySize { get; }
    public int IcvSize { get; }

    public static bool IsSupported(IntegrityAlgorithm algorithm) =>
        algorithm is IntegrityAlgorithm.HmacSha1_96 or IntegrityAlgorithm.HmacSha2_256_128
            or IntegrityAlgorithm.HmacSha2_384_192 or IntegrityAlgorithm.HmacSha2_512_256;

    public static Integrity Get(IntegrityAlgorithm algorithm) => algorithm switch
    {
        IntegrityAlgorithm.HmacSha1_96 => Sha1,
        IntegrityAlgorithm.HmacSha2_256_128 => Sha256,
        IntegrityAlgorithm.HmacSha2_384_192 => Sha384,
        IntegrityAlgorithm.HmacSha2_512_256 => Sha512,
        _ => throw new NotSupportedException($"integrity algorithm {algorithm} is not implemented"),
    };

    /// <summary>The truncated HMAC of <paramref name="data"/> into <paramref name="icv"/> (<see cref="IcvSize"/> octets).</summary>
    public void Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> icv)
    {
        if (icv.Length != IcvSize)
            throw new ArgumentException($"ICV is {IcvSize} octets", nameof(icv));
        Span<byte> full = stackalloc byte[64];
        full = full[..KeySize];
        CryptographicOperations.HmacData(Hash, key, data, full);
        full[..IcvSize].CopyTo(icv);
    }

    /// <summary>Constant-time check of a received ICV.</summary>
    public bool Verify(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> icv)
    {
        if (icv.Length != IcvSize)
            return false;
        Span<byte> expected = stackalloc byte[IcvSize];
        Compute(key, data, expected);
        return CryptographicOperations.FixedTimeEquals(expected, icv);
    }

    public override string ToString() => Algorithm.ToString();
}
