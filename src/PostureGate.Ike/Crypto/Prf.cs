// RFC 7296 §2.13 prf and prf+, with the HMAC PRFs of RFC 2104 / RFC 4868 §2.1
// (PRF_HMAC_SHA1, PRF_HMAC_SHA2_256/384/512). prf+ follows the shape of
// dotnet/runtime's HKDF expand: stack buffers for T(n), zeroed afterwards.
using System.Security.Cryptography;
using PostureGate.Proposals;

namespace PostureGate.Ike.Crypto;

public sealed class Prf
{
    /// <summary>§2.13: prf+ stops at 255 blocks (the counter is one octet).</summary>
    public const int MaxExpandBlocks = 255;

    private static readonly Prf Sha1 = new(PrfAlgorithm.HmacSha1, HashAlgorithmName.SHA1, 20);
    private static readonly Prf Sha256 = new(PrfAlgorithm.HmacSha2_256, HashAlgorithmName.SHA256, 32);
    private static readonly Prf Sha384 = new(PrfAlgorithm.HmacSha2_384, HashAlgorithmName.SHA384, 48);
    private static readonly Prf Sha512 = new(PrfAlgorithm.HmacSha2_512, HashAlgorithmName.SHA512, 64);

    private Prf(PrfAlgorithm algorithm, HashAlgorithmName hash, int outputSize)
    {
        Algorithm = algorithm;
        Hash = hash;
        OutputSize = outputSize;
    }

    public PrfAlgorithm Algorithm { get; }
    public HashAlgorithmName Hash { get; }

    /// <summary>Output octets; also the preferred key length (SK_d, SK_pi, SK_pr; RFC 4868 §2.1.1).</summary>
    public int OutputSize { get; }

    public static bool IsSupported(PrfAlgorithm algorithm) =>
        algorithm is PrfAlgorithm.HmacSha1 or PrfAlgorithm.HmacSha2_256 or PrfAlgorithm.HmacSha2_384 or PrfAlgorithm.HmacSha2_512;

    public static Prf Get(PrfAlgorithm algorithm) => algorithm switch
    {
        PrfAlgorithm.HmacSha1 => Sha1,
        PrfAlgorithm.HmacSha2_256 => Sha256,
        PrfAlgorithm.HmacSha2_384 => Sha384,
        PrfAlgorithm.HmacSha2_512 => Sha512,
        _ => throw new NotSupportedException($"PRF {algorithm} is not implemented"),
    };

    /// <summary>prf(key, data) into <paramref name="destination"/> (exactly <see cref="OutputSize"/> octets).</summary>
    public void Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        CheckDestination(destination);
        CryptographicOperations.HmacData(Hash, key, data, destination);
    }

    /// <summary>prf(key, a | b | c) without building the concatenation.</summary>
    public void Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c, Span<byte> destination)
    {
        CheckDestination(destination);
        using var hmac = IncrementalHash.CreateHMAC(Hash, key);
        hmac.AppendData(a);
        hmac.AppendData(b);
        hmac.AppendData(c);
        hmac.GetHashAndReset(destination);
    }

    public byte[] Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data)
    {
        var result = new byte[OutputSize];
        Compute(key, data, result);
        return result;
    }

    /// <summary>
    /// RFC 7296 §2.13: prf+ (K,S) = T1 | T2 | T3 | …, T1 = prf (K, S | 0x01), Tn = prf (K, Tn-1 | S | n).
    /// Fills <paramref name="output"/> (at most 255 × OutputSize octets).
    /// </summary>
    public void Expand(ReadOnlySpan<byte> key, ReadOnlySpan<byte> seed, Span<byte> output)
    {
        if (output.Length > MaxExpandBlocks * OutputSize)
            throw new ArgumentException($"prf+ cannot produce {output.Length} octets", nameof(output));
        Span<byte> block = stackalloc byte[64];
        block = block[..OutputSize];
        Span<byte> counter = stackalloc byte[1];
        using var hmac = IncrementalHash.CreateHMAC(Hash, key);
        try
        {
            for (var n = 1; !output.IsEmpty; n++)
            {
                if (n > 1)
                    hmac.AppendData(block);
                hmac.AppendData(seed);
                counter[0] = (byte)n;
                hmac.AppendData(counter);
                hmac.GetHashAndReset(block);
                var take = Math.Min(block.Length, output.Length);
                block[..take].CopyTo(output);
                output = output[take..];
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(block);
        }
    }

    private void CheckDestination(Span<byte> destination)
    {
        if (destination.Length != OutputSize)
            throw new ArgumentException($"PRF output is {OutputSize} octets", nameof(destination));
    }

    public override string ToString() => Algorithm.ToString();
}
