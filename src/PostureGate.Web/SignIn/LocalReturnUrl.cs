// The returnUrl after sign-in: only a path inside the console, never another site (open redirect, CWE-601).
namespace PostureGate.Web.SignIn;

public static class LocalReturnUrl
{
    /// <summary>The URL when it is a path under <see cref="ConsolePaths.Root"/> on this host; else the console's home.</summary>
    public static string OrHome(string? returnUrl)
        => IsSafe(returnUrl) ? returnUrl! : ConsolePaths.Home;

    public static bool IsSafe(string? url)
    {
        if (string.IsNullOrEmpty(url) || url.Length > 2048)
            return false;
        // "//evil", "/\evil" are network-path references browsers follow to another host (RFC 3986 section 4.2).
        if (url[0] != '/' || url.StartsWith("//", StringComparison.Ordinal) || url.StartsWith("/\\", StringComparison.Ordinal))
            return false;
        foreach (var c in url)
        {
            if (char.IsControl(c) || c == '\\')
                return false;
        }
        return url == ConsolePaths.Root || url.StartsWith(ConsolePaths.Root + "/", StringComparison.Ordinal)
            || url.StartsWith(ConsolePaths.Root + "?", StringComparison.Ordinal);
    }
}
