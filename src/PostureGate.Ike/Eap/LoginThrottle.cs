// Backoff for EAP password guessing (issue 12 "Floods"; RFC 3748 §7.2 lists dictionary attacks on
// password methods, and MS-CHAPv2 (RFC 2759) is one): after a few failed password checks a user
// name, and separately a source address, must wait before its next check, the wait doubling with
// each further failure up to a ceiling. A refused attempt costs no password check. Per source it is
// stricter (one machine guessing) than per user (anyone can fail a user's logins on purpose: the
// lower ceiling bounds how long a user can be kept out). A success clears both.
// Both tables are bounded: a key past its wait and idle for IdleExpiry is forgotten, and when a
// table is full a new key is not tracked (the other table still is).
using System.Net;

namespace PostureGate.Ike.Eap;

public sealed class LoginThrottle(LoginThrottleOptions? options = null, TimeProvider? time = null)
{
    private readonly LoginThrottleOptions _o = options ?? new LoginThrottleOptions();
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<IPAddress, Entry> _sources = [];
    private DateTimeOffset _lastSweep = DateTimeOffset.MinValue;

    private sealed class Entry
    {
        public int Failures;
        public DateTimeOffset NotBefore;
        public DateTimeOffset LastFailure;
    }

    /// <summary>Why this source may not try now ("too many failed logins from …"), or null.</summary>
    public string? SourceRefusal(IPAddress source)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
            return _sources.TryGetValue(source, out var e) && e.NotBefore > now
                ? $"too many failed logins from {source} ({e.Failures}): next attempt in {Seconds(e.NotBefore - now)} s"
                : null;
    }

    /// <summary>Why this user (or this source) may not have a password checked now, or null.</summary>
    public string? Refusal(string user, IPAddress source)
    {
        if (SourceRefusal(source) is { } bySource)
            return bySource;
        var now = _time.GetUtcNow();
        lock (_lock)
            return _users.TryGetValue(user, out var e) && e.NotBefore > now
                ? $"too many failed logins for '{user}' ({e.Failures}): next attempt in {Seconds(e.NotBefore - now)} s"
                : null;
    }

    /// <summary>A password check failed (wrong password or unknown user).</summary>
    public void Failed(string user, IPAddress source)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            Count(_users, user, now, _o.FreeFailuresPerUser, _o.MaxDelayPerUser);
            Count(_sources, source, now, _o.FreeFailuresPerSource, _o.MaxDelayPerSource);
        }
    }

    /// <summary>A password check succeeded: the user and the source start over.</summary>
    public void Succeeded(string user, IPAddress source)
    {
        lock (_lock)
        {
            _users.Remove(user);
            _sources.Remove(source);
        }
    }

    /// <summary>Keys tracked now (users, sources).</summary>
    public (int Users, int Sources) Tracked
    {
        get { lock (_lock) return (_users.Count, _sources.Count); }
    }

    private void Count<TKey>(Dictionary<TKey, Entry> table, TKey key, DateTimeOffset now, int free, TimeSpan max) where TKey : notnull
    {
        if (!table.TryGetValue(key, out var e))
        {
            // A full table is swept at most once a second: a spray of new names costs no scan per attempt.
            if (table.Count >= _o.MaxTracked && now - _lastSweep >= TimeSpan.FromSeconds(1))
            {
                _lastSweep = now;
                Forget(table, now);
            }
            if (table.Count >= _o.MaxTracked)
                return;
            table[key] = e = new Entry();
        }
        e.Failures++;
        e.LastFailure = now;
        if (e.Failures <= free)
            return;
        // 1 s after the first failure past the free ones, doubling, at most max.
        var exponent = Math.Min(e.Failures - free - 1, 30);
        var delay = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, exponent), max.TotalSeconds));
        e.NotBefore = now + delay;
    }

    private void Forget<TKey>(Dictionary<TKey, Entry> table, DateTimeOffset now) where TKey : notnull
    {
        foreach (var (key, e) in table.ToList())
        {
            if (e.NotBefore <= now && now - e.LastFailure >= _o.IdleExpiry)
                table.Remove(key);
        }
    }

    private static long Seconds(TimeSpan t) => (long)Math.Ceiling(t.TotalSeconds);
}

public sealed record LoginThrottleOptions
{
    /// <summary>Failed checks of one user name before it has to wait (FortiOS locks a source out after 3).</summary>
    public int FreeFailuresPerUser { get; init; } = 10;

    /// <summary>Failed checks from one source address before it has to wait.</summary>
    public int FreeFailuresPerSource { get; init; } = 5;

    /// <summary>The longest wait per user: the longest anyone failing a user's logins on purpose keeps it out.</summary>
    public TimeSpan MaxDelayPerUser { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The longest wait per source.</summary>
    public TimeSpan MaxDelayPerSource { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>A key past its wait with no failure for this long is forgotten.</summary>
    public TimeSpan IdleExpiry { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Keys per table (users, sources); beyond it new keys are not tracked.</summary>
    public int MaxTracked { get; init; } = 65_536;
}
