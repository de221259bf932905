// API-key check for gateway and admin routes: `Authorization: Bearer <key>`. The store keeps
// only SHA-256 digests of the keys; the presented key is hashed and compared in constant time,
// so timing says nothing about the key. Read per request, so `pgate ems apikey rotate` in
// another process takes effect at once.
using Microsoft.AspNetCore.Http;
using PostureGate.Ems.Storage;

namespace PostureGate.Ems.Api;

internal sealed class ApiKeyFilter(EmsStore store, bool adminOnly) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) || header.Length == scheme.Length)
            return ValueTask.FromResult<object?>(Unauthorized(context.HttpContext, "an API key is required (Authorization: Bearer <key>)"));
        var kind = store.IdentifyApiKey(header.AsSpan(scheme.Length).Trim());
        if (kind is null)
            return ValueTask.FromResult<object?>(Unauthorized(context.HttpContext, "the API key is not valid"));
        if (adminOnly && kind != ApiKeyKind.Admin)
            return ValueTask.FromResult<object?>(ApiResults.Problem(StatusCodes.Status403Forbidden, "Forbidden", "this route needs the admin API key"));
        return next(context);
    }

    private static IResult Unauthorized(HttpContext context, string detail)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return ApiResults.Problem(StatusCodes.Status401Unauthorized, "Unauthorized", detail);
    }
}
