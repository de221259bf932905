// RFC 3526 MODP groups 14, 15, 16 with generator 2. Public value g^x mod p and
// shared secret y^x mod p, both big-endian padded to the prime's length
// (RFC 7296 §3.4: "the Diffie-Hellman public value ... padded with zeros ... to
// the length of the prime"). The exponentiation runs in libcrypto when it loads,
// else in BigInteger.ModPow (same result, about ten times slower).
using System.Numerics;
using System.Security.Cryptography;
using PostureGate.Proposals;

namespace PostureGate.Ike.Crypto.KeyExchange;

internal sealed class ModpKeyExchange : KeyExchange
{
    private static readonly byte[] s_generator = [2];

    private readonly ModpGroup _group;
    private readonly byte[] _exponent;
    private readonly byte[] _publicValue;

    /// <param name="privateExponent">Empty for a fresh random exponent (the normal case).</param>
    public ModpKeyExchange(ModpGroup group, ReadOnlySpan<byte> privateExponent)
    {
        _group = group;
        if (privateExponent.IsEmpty)
        {
            _exponent = new byte[group.ExponentLength];
            // x = 0 would give the public value 1; redraw (probability 2^-224 or less).
            do
                RandomNumberGenerator.Fill(_exponent);
            while (!_exponent.AsSpan().ContainsAnyExcept((byte)0));
        }
        else
        {
            _exponent = privateExponent.ToArray();
        }
        _publicValue = new byte[group.Length];
        ModPow(group, s_generator, _exponent, _publicValue);
    }

    public override KeyExchangeMethod Method => _group.Method;

    private protected override ReadOnlySpan<byte> PublicValueCore => _publicValue;

    private protected override bool TryComputeSharedSecretCore(ReadOnlySpan<byte> peerPublicValue, out byte[] sharedSecret)
    {
        // RFC 6989 §2.1: with a safe prime, checking 1 < y < p-1 is sufficient.
        if (!_group.IsValidPublicValue(peerPublicValue))
        {
            sharedSecret = [];
            return false;
        }
        sharedSecret = new byte[_group.Length];
        ModPow(_group, peerPublicValue, _exponent, sharedSecret);
        return true;
    }

    private protected override void ZeroPrivateKey() => CryptographicOperations.ZeroMemory(_exponent);

    /// <summary>base^exponent mod p into <paramref name="result"/> (prime length, big-endian).</summary>
    internal static void ModPow(ModpGroup group, ReadOnlySpan<byte> @base, ReadOnlySpan<byte> exponent, Span<byte> result)
    {
        if (LibCryptoModExp.IsAvailable)
            LibCryptoModExp.ModPow(group, @base, exponent, result);
        else
            ManagedModPow(group, @base, exponent, result);
    }

    /// <summary>The BigInteger fallback; also the reference the tests and the benchmark compare with.</summary>
    internal static void ManagedModPow(ModpGroup group, ReadOnlySpan<byte> @base, ReadOnlySpan<byte> exponent, Span<byte> result)
    {
        var b = new BigInteger(@base, isUnsigned: true, isBigEndian: true);
        var e = new BigInteger(exponent, isUnsigned: true, isBigEndian: true);
        var r = BigInteger.ModPow(b, e, group.PrimeValue);
        result.Clear();
        // BigInteger values cannot be zeroed; they live only until the next GC.
        var written = r.GetByteCount(isUnsigned: true);
        if (!r.TryWriteBytes(result[(result.Length - written)..], out _, isUnsigned: true, isBigEndian: true))
            throw new CryptographicException("modular exponentiation result longer than the prime");
    }
}
