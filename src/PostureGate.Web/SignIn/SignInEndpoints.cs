// POST /console/session (sign in) and POST /console/signout: plain form posts, antiforgery-checked,
// answered with a redirect (post/redirect/get) so a reload never re-posts a password.
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using PostureGate.Web.Accounts;
using PostureGate.Web.Audit;

namespace PostureGate.Web.SignIn;

internal static class SignInEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        // Form binding makes these endpoints require a valid antiforgery token (UseAntiforgery).
        app.MapPost(ConsolePaths.Session, SignInAsync).AllowAnonymous().DisableRequestTimeout();
        app.MapPost(ConsolePaths.SignOut, SignOutAsync).AllowAnonymous();
    }

    private static async Task<IResult> SignInAsync(HttpContext http, IAdminAccountStore store, SignInGuard guard, IConsoleAudit audit,
        ConsoleOptions options, [FromForm(Name = "user")] string? user, [FromForm(Name = "password")] string? password,
        [FromForm(Name = "returnUrl")] string? returnUrl)
    {
        var source = http.SourceAddress();
        var name = AdminUserName.Normalize(user);
        var key = name ?? "(invalid)";
        var back = LocalReturnUrl.IsSafe(returnUrl) ? returnUrl : null;

        IResult Refused(string error, string action)
        {
            audit.Record(new ConsoleAuditEntry(options.Time.GetUtcNow(), key, source, action, "", ""));
            return Results.Redirect(SignInUrl(error, back));
        }

        if (guard.IsLocked(key, source))
            return Refused("locked", "signin.locked");
        var account = name is null ? null : store.Find(name);
        if (!AdminPasswords.Verify(account, password ?? ""))
            return guard.RecordFailure(key, source) ? Refused("locked", "signin.lockout") : Refused("bad", "signin.failed");

        guard.RecordSuccess(key);
        // A fresh ticket replaces whatever cookie the browser brought (session fixation: nothing from before sign-in survives it).
        await http.SignOutAsync(ConsoleAuthentication.Scheme);
        await http.SignInAsync(ConsoleAuthentication.Scheme, ConsoleUser.For(account!), new AuthenticationProperties { IsPersistent = false });
        audit.Record(new ConsoleAuditEntry(options.Time.GetUtcNow(), account!.Name, source, "signin", "", account.Role.ToText()));
        return Results.Redirect(LocalReturnUrl.OrHome(back));
    }

    private static async Task<IResult> SignOutAsync(HttpContext http, [FromForm(Name = "go")] string? go)
    {
        _ = go;
        if (http.User.Identity?.IsAuthenticated == true)
            http.Audit("signout", "");
        await http.SignOutAsync(ConsoleAuthentication.Scheme);
        return Results.Redirect(ConsolePaths.SignIn);
    }

    internal static string SignInUrl(string? error, string? returnUrl)
    {
        var query = new QueryBuilderLite();
        if (error is not null)
            query.Add("error", error);
        if (returnUrl is not null)
            query.Add("returnUrl", returnUrl);
        return ConsolePaths.SignIn + query;
    }

    private sealed class QueryBuilderLite
    {
        private readonly List<string> _parts = [];

        public void Add(string key, string value) => _parts.Add(key + "=" + Uri.EscapeDataString(value));

        public override string ToString() => _parts.Count == 0 ? "" : "?" + string.Join('&', _parts);
    }
}
