// Post/Redirect/Get for the invitation form: the new code waits here, under a random id, for the one
// GET the redirect leads to, and is gone once shown. A reload re-sends that GET, never the form, so
// it creates no second invitation and shows the code no more. Bound to the admin who made it;
// a few minutes at most, a bounded number at once; never written anywhere.
using System.Security.Cryptography;

namespace PostureGate.Ems.WebConsole;

internal sealed class OneShotCodes(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    public const int MaxWaiting = 256;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, (string Admin, string Code, DateTimeOffset Until)> _waiting = new(StringComparer.Ordinal);

    /// <summary>Keeps <paramref name="code"/> for <paramref name="admin"/>; returns the id the redirect carries.</summary>
    public string Keep(string admin, string code)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var now = time.GetUtcNow();
        lock (_lock)
        {
            foreach (var stale in _waiting.Where(w => w.Value.Until <= now).Select(w => w.Key).ToList())
                _waiting.Remove(stale);
            if (_waiting.Count >= MaxWaiting)
                _waiting.Remove(_waiting.MinBy(w => w.Value.Until).Key);
            _waiting[id] = (admin, code, now + Lifetime);
        }
        return id;
    }

    /// <summary>The code, once, to the admin who made it and before it expires; else null.</summary>
    public string? Take(string admin, string? id)
    {
        if (id is null)
            return null;
        lock (_lock)
        {
            if (!_waiting.TryGetValue(id, out var w) || w.Admin != admin)
                return null;
            _waiting.Remove(id);
            return w.Until > time.GetUtcNow() ? w.Code : null;
        }
    }
}
