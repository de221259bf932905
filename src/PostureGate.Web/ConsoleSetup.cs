// Wiring the console into a host's WebApplication:
//   1. services.AddPostureGateConsole(o => …): options, cookie authentication, read/write policies,
//      antiforgery (__Host- cookie), Razor components (static server rendering only, no circuits),
//      the cookies' protection keys in the host's data directory (ConsoleOptions.KeysDirectory).
//      The host registers IAdminAccountStore and IConsoleAudit itself.
//   2. app.UsePostureGateConsole(): authentication, authorization, antiforgery — after UseRouting.
//   3. app.MapPostureGateConsole(): the stylesheet, sign-in/out posts, and every page (this assembly's
//      and ConsoleOptions.PageAssemblies'), all under /console.
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PostureGate.Web.Accounts;
using PostureGate.Web.Components;
using PostureGate.Web.SignIn;

namespace PostureGate.Web;

public static class ConsoleSetup
{
    public static IServiceCollection AddPostureGateConsole(this IServiceCollection services, Action<ConsoleOptions> configure)
    {
        var options = new ConsoleOptions();
        configure(options);
        if (options.LockoutThreshold < 1 || options.SourceLockoutThreshold < 1 || options.LockoutDuration <= TimeSpan.Zero)
            throw new ArgumentException("console lock-out thresholds and duration must be positive");
        services.AddSingleton(options);
        if (options.KeysDirectory is { } keys)
            KeepKeysIn(services, keys);
        services.AddSingleton(sp => new SignInGuard(options, options.Time));
        services.AddAuthentication(ConsoleAuthentication.Scheme)
            .AddCookie(ConsoleAuthentication.Scheme, cookie => ConsoleAuthentication.Configure(cookie, options));
        services.AddAuthorizationBuilder()
            .AddPolicy(ConsolePolicies.Read, p => p.RequireAuthenticatedUser().RequireRole(AdminRoles.ReadOnlyText, AdminRoles.ReadWriteText))
            .AddPolicy(ConsolePolicies.Write, p => p.RequireAuthenticatedUser().RequireRole(AdminRoles.ReadWriteText));
        services.AddAntiforgery(a =>
        {
            a.Cookie.Name = ConsoleAuthentication.AntiforgeryCookieName;
            a.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            a.Cookie.SameSite = SameSiteMode.Strict;
            a.Cookie.Path = "/";
            a.SuppressXFrameOptionsHeader = false;
        });
        services.AddRazorComponents();
        services.AddCascadingAuthenticationState();
        return services;
    }

    /// <summary>
    /// The keys beside the host's other owner-only secrets (its TLS key, the admin accounts) rather than in
    /// the service user's home. Like those, they are not wrapped in a further key: the framework's warning
    /// that no XML encryptor is configured would only say so at every first start and key rotation.
    /// </summary>
    private static void KeepKeysIn(IServiceCollection services, string path)
    {
        var directory = OperatingSystem.IsWindows() ? Directory.CreateDirectory(path)
            : Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        services.AddDataProtection().PersistKeysToFileSystem(directory);
        services.AddLogging(l => l.AddFilter(typeof(Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager).FullName, LogLevel.Error));
    }

    public static IApplicationBuilder UsePostureGateConsole(this IApplicationBuilder app)
    {
        app.Use(SecurityHeaders);
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }

    public static IEndpointRouteBuilder MapPostureGateConsole(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<ConsoleOptions>();
        app.MapGet(ConsolePaths.Stylesheet, ConsoleAssets.Stylesheet).AllowAnonymous();
        SignInEndpoints.Map(app);
        app.MapRazorComponents<ConsoleApp>().AddAdditionalAssemblies([.. options.PageAssemblies]);
        return app;
    }

    /// <summary>Console pages are never framed (clickjacking), never cached, load nothing from elsewhere (CSP).</summary>
    private static Task SecurityHeaders(HttpContext http, Func<Task> next)
    {
        if (http.Request.Path.StartsWithSegments(ConsolePaths.Root))
        {
            var headers = http.Response.Headers;
            headers.ContentSecurityPolicy = "default-src 'self'; script-src 'none'; object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";
            headers.XFrameOptions = "DENY";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            if (!http.Request.Path.Equals(ConsolePaths.Stylesheet))
                headers.CacheControl = "no-store";
        }
        return next();
    }
}
