using System.Net;
using PostureGate.Ike.Crypto;

namespace PostureGate.Ike.Tests.Crypto;

public class CookieGeneratorTests
{
    private sealed class ManualTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static readonly byte[] Ni = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
    private static readonly IPAddress Peer = IPAddress.Parse("198.51.100.7");

    [Fact]
    public void Cookie_VerifiesOnlyForTheSameNonceAddressAndSpi()
    {
        using var cookies = new CookieGenerator();
        var cookie = cookies.Create(Ni, Peer, 42);
        Assert.Equal(CookieGenerator.CookieLength, cookie.Length);
        Assert.InRange(cookie.Length, 1, 64); // §2.6
        Assert.True(cookies.Verify(cookie, Ni, Peer, 42));
        Assert.False(cookies.Verify(cookie, Ni, Peer, 43));
        Assert.False(cookies.Verify(cookie, Ni, IPAddress.Parse("198.51.100.8"), 42));
        Assert.False(cookies.Verify(cookie, Ni[..31], Peer, 42));
        Assert.False(cookies.Verify(cookie[..^1], Ni, Peer, 42));
        cookie[^1] ^= 1;
        Assert.False(cookies.Verify(cookie, Ni, Peer, 42));
    }

    [Fact]
    public void Cookie_FromAnotherGenerator_IsRejected()
    {
        using var a = new CookieGenerator();
        using var b = new CookieGenerator();
        Assert.False(b.Verify(a.Create(Ni, Peer, 1), Ni, Peer, 1));
    }

    [Fact]
    public void Rotation_KeepsThePreviousSecretForOnePeriod()
    {
        var time = new ManualTime();
        using var cookies = new CookieGenerator(TimeSpan.FromMinutes(5), time);
        var version = cookies.CurrentVersion;
        var old = cookies.Create(Ni, Peer, 1);

        time.Now += TimeSpan.FromMinutes(6);
        var fresh = cookies.Create(Ni, Peer, 1);
        Assert.Equal(version + 1, cookies.CurrentVersion);
        Assert.NotEqual(old, fresh);
        Assert.True(cookies.Verify(old, Ni, Peer, 1));
        Assert.True(cookies.Verify(fresh, Ni, Peer, 1));

        cookies.Rotate();
        Assert.False(cookies.Verify(old, Ni, Peer, 1));
        Assert.True(cookies.Verify(fresh, Ni, Peer, 1));
    }

    [Fact]
    public void LongSilence_RetiresBothSecrets()
    {
        var time = new ManualTime();
        using var cookies = new CookieGenerator(TimeSpan.FromMinutes(5), time);
        var cookie = cookies.Create(Ni, Peer, 1);
        time.Now += TimeSpan.FromMinutes(11);
        Assert.False(cookies.Verify(cookie, Ni, Peer, 1));
    }
}
