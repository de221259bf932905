// LoginThrottle: EAP password-guessing backoff per user and per source (issue 12 "Floods").
using System.Net;
using PostureGate.Ike.Eap;
using PostureGate.Testing;

namespace PostureGate.Ike.Tests.Eap;

public class LoginThrottleTests
{
    private static readonly IPAddress A = IPAddress.Parse("198.51.100.2"), B = IPAddress.Parse("198.51.100.3");
    private readonly ManualTimeProvider _time = new();

    private LoginThrottle Throttle(LoginThrottleOptions? o = null) => new(o ?? new LoginThrottleOptions(), _time);

    [Fact]
    public void ASourcePastItsFreeFailures_Waits_AndTheWaitDoubles()
    {
        var t = Throttle();
        for (var i = 0; i < 5; i++)
            t.Failed($"user{i}", A);
        Assert.Null(t.SourceRefusal(A));
        t.Failed("user5", A);
        Assert.Equal("too many failed logins from 198.51.100.2 (6): next attempt in 1 s", t.SourceRefusal(A));
        Assert.Null(t.SourceRefusal(B));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(t.SourceRefusal(A));
        t.Failed("user6", A);
        Assert.Contains("next attempt in 2 s", t.SourceRefusal(A), StringComparison.Ordinal);
    }

    [Fact]
    public void AUserGuessedFromManySources_Waits_ButAtMostItsCeiling()
    {
        var t = Throttle();
        for (var i = 0; i < 30; i++)
        {
            t.Failed("alice", IPAddress.Parse($"203.0.113.{i + 1}"));
            _time.Advance(TimeSpan.FromMinutes(2));
        }
        t.Failed("alice", IPAddress.Parse("203.0.113.100"));
        Assert.Equal("too many failed logins for 'alice' (31): next attempt in 60 s", t.Refusal("alice", IPAddress.Parse("192.0.2.9")));
        Assert.Null(t.Refusal("bob", IPAddress.Parse("192.0.2.9")));
    }

    [Fact]
    public void ASuccess_ClearsTheUserAndTheSource()
    {
        var t = Throttle();
        for (var i = 0; i < 12; i++)
            t.Failed("alice", A);
        Assert.NotNull(t.Refusal("alice", A));
        t.Succeeded("alice", A);
        Assert.Null(t.Refusal("alice", A));
        Assert.Equal((0, 0), t.Tracked);
    }

    [Fact]
    public void TheTables_AreBounded_AndIdleKeysAreForgotten()
    {
        var t = Throttle(new LoginThrottleOptions { MaxTracked = 3 });
        for (var i = 0; i < 10; i++)
            t.Failed($"name{i}", A);
        Assert.Equal((3, 1), t.Tracked);
        _time.Advance(TimeSpan.FromMinutes(16));
        t.Failed("late", B);
        Assert.Equal(1, t.Tracked.Users);
    }
}
