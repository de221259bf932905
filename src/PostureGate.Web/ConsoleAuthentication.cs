// Cookie sessions for the console: __Host- cookie (HTTPS only, this host only), SameSite=Strict, HttpOnly,
// idle timeout, and every request re-checked against the account (password or role changed: signed out).
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using PostureGate.Web.Accounts;

namespace PostureGate.Web;

public static class ConsoleAuthentication
{
    public const string Scheme = "PostureGateConsole";

    /// <summary>The "__Host-" prefix makes browsers refuse it unless Secure, Path=/ and without Domain (RFC 6265bis section 4.1.3.2).</summary>
    public const string CookieName = "__Host-pgate-console";

    public const string AntiforgeryCookieName = "__Host-pgate-af";

    internal static void Configure(CookieAuthenticationOptions cookie, ConsoleOptions options)
    {
        cookie.Cookie.Name = CookieName;
        cookie.Cookie.HttpOnly = true;
        cookie.Cookie.SecurePolicy = CookieSecurePolicy.Always;
        cookie.Cookie.SameSite = SameSiteMode.Strict;
        cookie.Cookie.Path = "/";
        cookie.ExpireTimeSpan = options.IdleTimeout;
        cookie.SlidingExpiration = true;
        cookie.TimeProvider = options.Time;
        cookie.LoginPath = ConsolePaths.SignIn;
        cookie.LogoutPath = ConsolePaths.SignOut;
        cookie.AccessDeniedPath = ConsolePaths.Denied;
        cookie.ReturnUrlParameter = "returnUrl";
        cookie.Events.OnValidatePrincipal = ValidateAsync;
    }

    /// <summary>The account must still exist with the stamp it had at sign-in.</summary>
    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var store = context.HttpContext.RequestServices.GetRequiredService<IAdminAccountStore>();
        var name = context.Principal?.Identity?.Name;
        var stamp = context.Principal?.FindFirst(ConsoleUser.StampClaim)?.Value;
        var account = name is null ? null : store.Find(name);
        if (account is null || stamp is null || !string.Equals(account.Stamp, stamp, StringComparison.Ordinal))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
        }
    }
}
