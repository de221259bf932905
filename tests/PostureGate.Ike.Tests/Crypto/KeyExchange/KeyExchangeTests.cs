// Contract tests run over every supported group (NSec style): lengths, round
// trip between two fresh instances, length rejection, disposal.
using PostureGate.Ike.Crypto.KeyExchange;
using PostureGate.Proposals;
using Kx = PostureGate.Ike.Crypto.KeyExchange.KeyExchange;

namespace PostureGate.Ike.Tests.Crypto.KeyExchange;

public class KeyExchangeTests
{
    public static TheoryData<KeyExchangeMethod, int> Supported => new()
    {
        // RFC 7296 §3.4: MODP values are the prime's length.
        { KeyExchangeMethod.Modp2048, 256 },
        { KeyExchangeMethod.Modp3072, 384 },
        { KeyExchangeMethod.Modp4096, 512 },
        // RFC 5903 §7: x‖y, 32/48/66 bytes each.
        { KeyExchangeMethod.Ecp256, 64 },
        { KeyExchangeMethod.Ecp384, 96 },
        { KeyExchangeMethod.Ecp521, 132 },
        // RFC 8031 §3.1.
        { KeyExchangeMethod.Curve25519, 32 },
    };

    [Theory]
    [MemberData(nameof(Supported))]
    public void PublicValueHasTheRegisteredLength(KeyExchangeMethod method, int length)
    {
        Assert.True(Kx.IsSupported(method));
        Assert.Equal(length, Kx.PublicValueLength(method));
        using var kx = Kx.Create(method);
        Assert.Equal(method, kx.Method);
        Assert.Equal(length, kx.PublicValue.Length);
    }

    [Theory]
    [MemberData(nameof(Supported))]
    public void TwoFreshInstancesAgree(KeyExchangeMethod method, int length)
    {
        using var initiator = Kx.Create(method);
        using var responder = Kx.Create(method);
        Assert.True(initiator.TryComputeSharedSecret(responder.PublicValue, out var a));
        Assert.True(responder.TryComputeSharedSecret(initiator.PublicValue, out var b));
        Assert.Equal(a, b);
        var expectedSecretLength = method switch
        {
            KeyExchangeMethod.Ecp256 or KeyExchangeMethod.Ecp384 or KeyExchangeMethod.Ecp521 => length / 2,
            _ => length,
        };
        Assert.Equal(expectedSecretLength, a.Length);
        Assert.False(initiator.PublicValue.SequenceEqual(responder.PublicValue));
    }

    [Theory]
    [MemberData(nameof(Supported))]
    public void FreshKeysDiffer(KeyExchangeMethod method, int length)
    {
        using var one = Kx.Create(method);
        using var two = Kx.Create(method);
        Assert.Equal(length, one.PublicValue.Length);
        Assert.False(one.PublicValue.SequenceEqual(two.PublicValue));
    }

    [Theory]
    [MemberData(nameof(Supported))]
    public void WrongLengthIsRejected(KeyExchangeMethod method, int length)
    {
        using var kx = Kx.Create(method);
        using var peer = Kx.Create(method);
        var value = peer.PublicValue.ToArray();
        // "TooShort", "TooLong", "Empty"
        Assert.False(kx.TryComputeSharedSecret(value.AsSpan(0, length - 1), out var s1));
        Assert.Empty(s1);
        Assert.False(kx.TryComputeSharedSecret([.. value, 0], out var s2));
        Assert.Empty(s2);
        Assert.False(kx.TryComputeSharedSecret([], out var s3));
        Assert.Empty(s3);
        // Nothing changed: the good value still gives the same secret as the peer's.
        Assert.True(kx.TryComputeSharedSecret(value, out var good));
        Assert.True(peer.TryComputeSharedSecret(kx.PublicValue, out var other));
        Assert.Equal(good, other);
    }

    [Theory]
    [MemberData(nameof(Supported))]
    public void DisposedInstanceRefusesUse(KeyExchangeMethod method, int length)
    {
        var kx = Kx.Create(method);
        var peer = new byte[length];
        kx.Dispose();
        kx.Dispose();
        Assert.Throws<ObjectDisposedException>(() => kx.PublicValue.Length);
        Assert.Throws<ObjectDisposedException>(() => kx.TryComputeSharedSecret(peer, out _));
    }

    [Theory]
    [InlineData(KeyExchangeMethod.None)]
    [InlineData((KeyExchangeMethod)2)]   // MODP-1024: deliberately not offered
    [InlineData((KeyExchangeMethod)5)]   // MODP-1536
    [InlineData((KeyExchangeMethod)32)]  // Curve448
    public void UnsupportedGroupsAreRefused(KeyExchangeMethod method)
    {
        Assert.False(Kx.IsSupported(method));
        Assert.Equal(0, Kx.PublicValueLength(method));
        Assert.Throws<NotSupportedException>(() => Kx.Create(method));
    }
}
