// What a host tells the console base: its title, its navigation, lock-out limits, session length.
using System.Reflection;

namespace PostureGate.Web;

public sealed class ConsoleOptions
{
    /// <summary>Shown in the header and the page titles, e.g. "PostureGate EMS".</summary>
    public string Title { get; set; } = "PostureGate";

    /// <summary>The host's pages in the navigation bar, in order.</summary>
    public List<ConsoleLink> Navigation { get; } = [];

    /// <summary>Assemblies holding the host's routable pages (components with @page).</summary>
    public List<Assembly> PageAssemblies { get; } = [];

    /// <summary>Failed sign-ins that lock one account name.</summary>
    public int LockoutThreshold { get; set; } = 5;

    /// <summary>Failed sign-ins (any names) that lock one source address.</summary>
    public int SourceLockoutThreshold { get; set; } = 20;

    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A session ends after this long without a request.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>
    /// Where the keys that protect the session and antiforgery cookies are kept: a directory in the host's
    /// owner-only data directory, created 0700. Null leaves ASP.NET Core's default (the user's ~/.aspnet).
    /// </summary>
    public string? KeysDirectory { get; set; }
}

public sealed record ConsoleLink(string Text, string Href);
