// Lock-out counting: per account name and per source, lifted after the duration, forgotten when old.
using PostureGate.Testing;
using PostureGate.Web.SignIn;

namespace PostureGate.Web.Tests.SignIn;

public sealed class SignInGuardTests
{
    private readonly ManualTimeProvider _time = new();

    private SignInGuard Guard(int account = 3, int source = 10)
        => new(new ConsoleOptions { LockoutThreshold = account, SourceLockoutThreshold = source, LockoutDuration = TimeSpan.FromMinutes(15) }, _time);

    [Fact]
    public void TheNthFailure_LocksTheAccount_UntilTheDurationPassed()
    {
        var guard = Guard();
        Assert.False(guard.RecordFailure("admin", "192.0.2.1"));
        Assert.False(guard.RecordFailure("admin", "192.0.2.2"));
        Assert.False(guard.IsLocked("admin", "192.0.2.3"));

        Assert.True(guard.RecordFailure("admin", "192.0.2.3"));

        Assert.True(guard.IsLocked("admin", "198.51.100.7"));
        Assert.False(guard.IsLocked("other", "198.51.100.7"));
        _time.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));
        Assert.False(guard.IsLocked("admin", "198.51.100.7"));
    }

    [Fact]
    public void TheSource_IsLockedForEveryName()
    {
        var guard = Guard(account: 100, source: 3);
        guard.RecordFailure("a", "192.0.2.9");
        guard.RecordFailure("b", "192.0.2.9");
        Assert.True(guard.RecordFailure("c", "192.0.2.9"));

        Assert.True(guard.IsLocked("admin", "192.0.2.9"));
        Assert.False(guard.IsLocked("admin", "192.0.2.10"));
    }

    [Fact]
    public void OldFailures_AreForgotten()
    {
        var guard = Guard();
        guard.RecordFailure("admin", "192.0.2.1");
        guard.RecordFailure("admin", "192.0.2.1");
        _time.Advance(TimeSpan.FromHours(1));

        Assert.False(guard.RecordFailure("admin", "192.0.2.1"));
        Assert.False(guard.IsLocked("admin", "192.0.2.1"));
    }

    [Fact]
    public void ASuccess_ClearsTheAccountCount()
    {
        var guard = Guard();
        guard.RecordFailure("admin", "192.0.2.1");
        guard.RecordFailure("admin", "192.0.2.1");
        guard.RecordSuccess("admin");

        Assert.False(guard.RecordFailure("admin", "192.0.2.1"));
    }
}
