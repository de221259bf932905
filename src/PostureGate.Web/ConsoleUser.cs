// The signed-in admin as claims: name, role, and the account's security stamp at sign-in.
using System.Security.Claims;
using PostureGate.Web.Accounts;

namespace PostureGate.Web;

public static class ConsoleUser
{
    public const string StampClaim = "pgate-stamp";

    public static ClaimsPrincipal For(AdminAccount account)
        => new(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, account.Name),
                new Claim(ClaimTypes.Role, account.Role.ToText()),
                new Claim(StampClaim, account.Stamp),
            ], ConsoleAuthentication.Scheme, ClaimTypes.Name, ClaimTypes.Role));

    public static string Name(this ClaimsPrincipal user) => user.Identity?.Name ?? "";

    public static bool CanWrite(this ClaimsPrincipal user) => user.IsInRole(AdminRoles.ReadWriteText);
}

public static class ConsolePolicies
{
    /// <summary>Any signed-in admin: every page.</summary>
    public const string Read = "console-read";

    /// <summary>Read-write admins: every change.</summary>
    public const string Write = "console-write";
}
