// RFC 7748 §6.1 X25519 test vector and the RFC 8031 §2 / RFC 7748 §6.1
// all-zero check for low-order peer points, over both implementations:
// libcrypto ("native") and BouncyCastle ("managed", the fallback).
using PostureGate.Ike.Crypto.KeyExchange;
using PostureGate.Proposals;
using Kx = PostureGate.Ike.Crypto.KeyExchange.KeyExchange;

namespace PostureGate.Ike.Tests.Crypto.KeyExchange;

public class Curve25519KeyExchangeTests
{
    // RFC 7748 §6.1.
    private const string AlicePrivate = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
    private const string AlicePublic = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
    private const string BobPrivate = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
    private const string BobPublic = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
    private const string Shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";

    private static Kx Make(string impl, string privateHex) => impl == "native"
        ? new NativeCurve25519KeyExchange(Convert.FromHexString(privateHex))
        : new Curve25519KeyExchange(Convert.FromHexString(privateHex));

    [Fact]
    public void NativePathIsAvailableAndChosen()
    {
        Assert.True(NativeCurve25519KeyExchange.IsAvailable, "libcrypto.so.3 should load on Debian 12");
        using var kx = Kx.Create(KeyExchangeMethod.Curve25519);
        Assert.IsType<NativeCurve25519KeyExchange>(kx);
    }

    [Theory]
    [InlineData("native")]
    [InlineData("managed")]
    public void Rfc7748Section6_1(string impl)
    {
        using var alice = Make(impl, AlicePrivate);
        using var bob = Make(impl, BobPrivate);
        Assert.Equal(AlicePublic, Convert.ToHexString(alice.PublicValue).ToLowerInvariant());
        Assert.Equal(BobPublic, Convert.ToHexString(bob.PublicValue).ToLowerInvariant());
        Assert.True(alice.TryComputeSharedSecret(bob.PublicValue, out var a));
        Assert.True(bob.TryComputeSharedSecret(alice.PublicValue, out var b));
        Assert.Equal(Shared, Convert.ToHexString(a).ToLowerInvariant());
        Assert.Equal(Shared, Convert.ToHexString(b).ToLowerInvariant());
    }

    [Theory]
    [InlineData("native")]
    [InlineData("managed")]
    public void TopBitOfThePeerValueIsMasked(string impl)
    {
        // RFC 7748 §5: "implementations of X25519 MUST mask the most significant bit".
        var bob = Convert.FromHexString(BobPublic);
        bob[31] |= 0x80;
        using var alice = Make(impl, AlicePrivate);
        Assert.True(alice.TryComputeSharedSecret(bob, out var secret));
        Assert.Equal(Shared, Convert.ToHexString(secret).ToLowerInvariant());
    }

    // Low-order u-coordinates (orders 1, 4, 8) and non-canonical encodings of
    // them; each makes X25519 return all zeros, which RFC 8031 §2 says MUST be
    // rejected.
    public static TheoryData<string, string, string> LowOrderPoints()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var impl in new[] { "native", "managed" })
            foreach (var (name, hex) in s_lowOrder)
                data.Add(name, hex, impl);
        return data;
    }

    private static readonly (string Name, string Hex)[] s_lowOrder =
    [
        ("ZeroU", "0000000000000000000000000000000000000000000000000000000000000000"),
        ("OneU", "0100000000000000000000000000000000000000000000000000000000000000"),
        ("OrderEight", "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"),
        ("OrderEightOther", "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157"),
        ("PrimeEncodingOfZero", "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
        ("PrimePlusOneEncodingOfOne", "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
    ];

    [Theory]
    [MemberData(nameof(LowOrderPoints))]
    public void LowOrderPointGivingZeroIsRejected(string name, string peerHex, string impl)
    {
        Assert.NotEmpty(name);
        using var kx = Make(impl, AlicePrivate);
        Assert.False(kx.TryComputeSharedSecret(Convert.FromHexString(peerHex), out var secret));
        Assert.Empty(secret);
        Assert.True(kx.TryComputeSharedSecret(Convert.FromHexString(BobPublic), out var good));
        Assert.Equal(Shared, Convert.ToHexString(good).ToLowerInvariant());
    }
}
