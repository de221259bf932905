// Lock-out on password guessing: N failed sign-ins lock the account name, M lock the source address,
// each for a while (FortiOS `admin-lockout-threshold` / `admin-lockout-duration`).
using System.Collections.Concurrent;

namespace PostureGate.Web.SignIn;

/// <summary>
/// Counts failures per normalized account name (names that do not exist are counted too, so a
/// lock-out tells nothing about which names exist) and per source address. Kept in memory: a
/// restart forgives, which an operator locked out by a guesser may also need.
/// </summary>
public sealed class SignInGuard(ConsoleOptions options, TimeProvider time)
{
    // Bounds the memory a flood of invented names can take; expired entries go first.
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, Failures> _accounts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Failures> _sources = new(StringComparer.Ordinal);

    private sealed class Failures
    {
        public int Count;
        public DateTimeOffset Since;
        public DateTimeOffset LockedUntil;
    }

    /// <summary>True when either the account or the source is locked now: refuse without checking the password.</summary>
    public bool IsLocked(string account, string source)
    {
        var now = time.GetUtcNow();
        return Locked(_accounts, account, now) || Locked(_sources, source, now);
    }

    /// <summary>Counts a failure; true when this one locked the account or the source.</summary>
    public bool RecordFailure(string account, string source)
    {
        var now = time.GetUtcNow();
        var a = Count(_accounts, account, options.LockoutThreshold, now);
        var s = Count(_sources, source, options.SourceLockoutThreshold, now);
        return a || s;
    }

    /// <summary>A good password clears the account's count; the source's stays (one right password
    /// must not buy a guesser more tries at other names).</summary>
    public void RecordSuccess(string account) => _accounts.TryRemove(account, out _);

    private static bool Locked(ConcurrentDictionary<string, Failures> table, string key, DateTimeOffset now)
    {
        if (!table.TryGetValue(key, out var f))
            return false;
        lock (f)
            return f.LockedUntil > now;
    }

    private bool Count(ConcurrentDictionary<string, Failures> table, string key, int threshold, DateTimeOffset now)
    {
        if (table.Count >= MaxEntries)
            Prune(table, now);
        var f = table.GetOrAdd(key, _ => new Failures { Since = now });
        lock (f)
        {
            // Failures older than the lock-out duration are forgotten, so a typo a day never locks anyone.
            if (now - f.Since > options.LockoutDuration && f.LockedUntil <= now)
            {
                f.Count = 0;
                f.Since = now;
            }
            f.Count++;
            if (f.Count < threshold)
                return false;
            f.LockedUntil = now + options.LockoutDuration;
            f.Count = 0;
            f.Since = now;
            return true;
        }
    }

    private void Prune(ConcurrentDictionary<string, Failures> table, DateTimeOffset now)
    {
        foreach (var (key, f) in table)
        {
            bool stale;
            lock (f)
                stale = f.LockedUntil <= now && now - f.Since > options.LockoutDuration;
            if (stale)
                table.TryRemove(key, out _);
        }
        // Still full of live entries: drop the unlocked ones rather than grow without bound.
        if (table.Count >= MaxEntries)
        {
            foreach (var (key, f) in table)
            {
                bool locked;
                lock (f)
                    locked = f.LockedUntil > now;
                if (!locked)
                    table.TryRemove(key, out _);
            }
        }
    }
}
