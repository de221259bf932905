// The base of a host's console pages: the request, the signed-in admin, and the checks every change makes.
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using PostureGate.Web.Audit;

namespace PostureGate.Web.Components;

/// <summary>
/// Pages render on the server per request (static SSR). A change is a form post handled by the
/// page (@formname + [SupplyParameterFromForm]); the antiforgery check happens before the page
/// runs. Each handler starts with <see cref="MayWrite"/> and ends with <see cref="Audit"/>.
/// </summary>
public abstract class ConsolePage : ComponentBase
{
    [CascadingParameter] public HttpContext Http { get; set; } = default!;

    protected string AdminName => Http.User.Name();

    protected bool CanWrite => Http.User.CanWrite();

    /// <summary>Set by a handler: shown above the page as an error or a confirmation.</summary>
    protected string? Error { get; set; }

    protected string? Done { get; set; }

    /// <summary>False (and the answer 403 with a message) for a read-only admin.</summary>
    protected bool MayWrite()
    {
        if (CanWrite)
            return true;
        Http.Response.StatusCode = StatusCodes.Status403Forbidden;
        Error = "Your role is read-only: changes need a read-write admin.";
        return false;
    }

    /// <summary>A change the host refused (bad input, not found): 400 and its one-line reason.</summary>
    protected void Refuse(string? reason)
    {
        Http.Response.StatusCode = StatusCodes.Status400BadRequest;
        Error = reason ?? "refused";
    }

    protected void Audit(string action, string target, string detail = "") => Http.Audit(action, target, detail);
}
