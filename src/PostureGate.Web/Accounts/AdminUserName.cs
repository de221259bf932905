// Admin user names: one normal form, so "Admin", "ADMIN" and " admin" are one account and one lock-out counter.
namespace PostureGate.Web.Accounts;

public static class AdminUserName
{
    public const int MaxLength = 64;

    /// <summary>Trimmed and lower-cased (invariant); null when empty, too long, or outside
    /// [a-z0-9._@-] — a name is also a log and audit field, so nothing else is let in.</summary>
    public static string? Normalize(string? text)
    {
        if (text is null)
            return null;
        var name = text.Trim().ToLowerInvariant();
        if (name.Length is 0 or > MaxLength)
            return null;
        foreach (var c in name)
        {
            if (!(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '_' or '@' or '-'))
                return null;
        }
        return name;
    }
}
