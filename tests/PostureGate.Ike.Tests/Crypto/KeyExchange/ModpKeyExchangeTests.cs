// RFC 3526 groups: known answers against an independent BigInteger.ModPow
// computation, and the RFC 6989 §2.1 rejection vectors.
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using PostureGate.Ike.Crypto.KeyExchange;
using PostureGate.Proposals;
using Kx = PostureGate.Ike.Crypto.KeyExchange.KeyExchange;

namespace PostureGate.Ike.Tests.Crypto.KeyExchange;

public class ModpKeyExchangeTests
{
    public static TheoryData<KeyExchangeMethod> Groups =>
        [KeyExchangeMethod.Modp2048, KeyExchangeMethod.Modp3072, KeyExchangeMethod.Modp4096];

    private static byte[] FixedKey(string label, int length) =>
        SHA512.HashData(Encoding.ASCII.GetBytes(label)).AsSpan(0, length).ToArray();

    private static BigInteger Prime(KeyExchangeMethod method) =>
        new(ModpGroup.For(method)!.Prime, isUnsigned: true, isBigEndian: true);

    private static byte[] Padded(BigInteger value, int length)
    {
        var raw = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        var result = new byte[length];
        raw.CopyTo(result, length - raw.Length);
        return result;
    }

    [Theory]
    [MemberData(nameof(Groups))]
    public void KnownAnswerMatchesBigIntegerModPow(KeyExchangeMethod method)
    {
        var length = Kx.PublicValueLength(method);
        var p = Prime(method);
        var xi = FixedKey("initiator", 28);
        var xr = FixedKey("responder", 40);
        using var initiator = Kx.CreateFromPrivateKey(method, xi);
        using var responder = Kx.CreateFromPrivateKey(method, xr);

        var bi = new BigInteger(xi, isUnsigned: true, isBigEndian: true);
        var br = new BigInteger(xr, isUnsigned: true, isBigEndian: true);
        var gi = BigInteger.ModPow(2, bi, p);
        var gr = BigInteger.ModPow(2, br, p);
        Assert.Equal(Padded(gi, length), initiator.PublicValue.ToArray());
        Assert.Equal(Padded(gr, length), responder.PublicValue.ToArray());

        var expected = Padded(BigInteger.ModPow(gr, bi, p), length);
        Assert.True(initiator.TryComputeSharedSecret(responder.PublicValue, out var si));
        Assert.True(responder.TryComputeSharedSecret(initiator.PublicValue, out var sr));
        Assert.Equal(expected, si);
        Assert.Equal(expected, sr);
    }

    [Fact]
    public void SmallResultIsLeftPaddedToThePrimeLength()
    {
        // 2^3 = 8: the public value is 255 zero bytes then 8 (RFC 7296 §3.4 padding).
        using var kx = Kx.CreateFromPrivateKey(KeyExchangeMethod.Modp2048, [3]);
        var expected = new byte[256];
        expected[^1] = 8;
        Assert.Equal(expected, kx.PublicValue.ToArray());
    }

    [Fact]
    public void NativeAndManagedPathsAgree()
    {
        Assert.True(LibCryptoModExp.IsAvailable, "libcrypto.so.3 should load on Debian 12");
        var group = ModpGroup.Modp3072;
        var @base = FixedKey("base", 64);
        var exponent = FixedKey("exponent", 32);
        var native = new byte[group.Length];
        var managed = new byte[group.Length];
        LibCryptoModExp.ModPow(group, @base, exponent, native);
        ModpKeyExchange.ManagedModPow(group, @base, exponent, managed);
        Assert.Equal(managed, native);
    }

    [Fact]
    public void ThreadsShareTheMontgomeryContextsSafely()
    {
        // Many exchanges at once on every group, each checked against the peer's view.
        var failures = 0;
        Parallel.For(0, 24, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var method = (KeyExchangeMethod[])[KeyExchangeMethod.Modp2048, KeyExchangeMethod.Modp3072, KeyExchangeMethod.Modp4096];
            using var a = Kx.Create(method[i % 3]);
            using var b = Kx.Create(method[i % 3]);
            if (!a.TryComputeSharedSecret(b.PublicValue, out var ab) || !b.TryComputeSharedSecret(a.PublicValue, out var ba)
                || !ab.AsSpan().SequenceEqual(ba))
                Interlocked.Increment(ref failures);
        });
        Assert.Equal(0, failures);
    }

    public static TheoryData<string, KeyExchangeMethod> RejectedVectors()
    {
        var data = new TheoryData<string, KeyExchangeMethod>();
        foreach (var name in new[] { "Zero", "One", "PrimeMinusOne", "Prime", "PrimePlusOne", "AllOnes" })
            foreach (var method in new[] { KeyExchangeMethod.Modp2048, KeyExchangeMethod.Modp3072, KeyExchangeMethod.Modp4096 })
                data.Add(name, method);
        return data;
    }

    // RFC 6989 §2.1: "y MUST be checked: 1 < y < p-1".
    [Theory]
    [MemberData(nameof(RejectedVectors))]
    public void Rfc6989RejectsOutOfRangeValues(string name, KeyExchangeMethod method)
    {
        var length = Kx.PublicValueLength(method);
        var p = Prime(method);
        var y = name switch
        {
            "Zero" => new byte[length],
            "One" => Padded(BigInteger.One, length),
            "PrimeMinusOne" => Padded(p - 1, length),
            "Prime" => Padded(p, length),
            "PrimePlusOne" => Padded(p + 1, length),
            "AllOnes" => Enumerable.Repeat((byte)0xFF, length).ToArray(),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
        using var kx = Kx.Create(method);
        var before = kx.PublicValue.ToArray();
        Assert.False(kx.TryComputeSharedSecret(y, out var secret));
        Assert.Empty(secret);
        Assert.Equal(before, kx.PublicValue.ToArray());
    }

    [Theory]
    [MemberData(nameof(Groups))]
    public void BoundaryValuesInsideTheRangeAreAccepted(KeyExchangeMethod method)
    {
        var length = Kx.PublicValueLength(method);
        var p = Prime(method);
        using var kx = Kx.CreateFromPrivateKey(method, [5]);
        Assert.True(kx.TryComputeSharedSecret(Padded(2, length), out var two));
        Assert.Equal(Padded(32, length), two);
        Assert.True(kx.TryComputeSharedSecret(Padded(p - 2, length), out var minusTwo));
        Assert.Equal(Padded(BigInteger.ModPow(p - 2, 5, p), length), minusTwo);
    }

    [Theory]
    [MemberData(nameof(Groups))]
    public void PrimeIsTheRfc3526SafePrime(KeyExchangeMethod method)
    {
        // RFC 3526: p = 2^N - 2^(N-64) - 1 + 2^64·(…): top and bottom 64 bits all ones.
        var group = ModpGroup.For(method)!;
        Assert.All(group.Prime.AsSpan(0, 8).ToArray(), b => Assert.Equal(0xFF, b));
        Assert.All(group.Prime.AsSpan(group.Length - 8).ToArray(), b => Assert.Equal(0xFF, b));
        // Fermat check for p and q = (p-1)/2 with a few bases: catches a mistyped digit.
        var p = Prime(method);
        var q = (p - 1) / 2;
        foreach (var a in new BigInteger[] { 3, 5, 7 })
        {
            Assert.Equal(BigInteger.One, BigInteger.ModPow(a, p - 1, p));
            Assert.Equal(BigInteger.One, BigInteger.ModPow(a, q - 1, q));
        }
    }

    [Fact]
    public void ExponentSizesAreTwiceTheSecurityStrength()
    {
        // NIST SP 800-56A Rev. 3 §5.6.1.1.1 with s = 112, 128, 152.
        Assert.Equal(28, ModpGroup.Modp2048.ExponentLength);
        Assert.Equal(32, ModpGroup.Modp3072.ExponentLength);
        Assert.Equal(38, ModpGroup.Modp4096.ExponentLength);
    }
}
