// API-key check for gateway and admin routes: `Authorization: Bearer <key>`. Both sides are
// hashed to a fixed length and compared in constant time, so timing says nothing about the key.
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace PostureGate.Ems.Api;

internal sealed class ApiKeyFilter : IEndpointFilter
{
    private readonly byte[] _gatewayDigest;
    private readonly byte[] _adminDigest;
    private readonly bool _adminOnly;

    public ApiKeyFilter(string gatewayKey, string adminKey, bool adminOnly)
    {
        _gatewayDigest = Digest(gatewayKey);
        _adminDigest = Digest(adminKey);
        _adminOnly = adminOnly;
    }

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) || header.Length == scheme.Length)
            return ValueTask.FromResult<object?>(Unauthorized(context.HttpContext, "an API key is required (Authorization: Bearer <key>)"));
        var presented = Digest(header[scheme.Length..].Trim());
        var isAdmin = CryptographicOperations.FixedTimeEquals(presented, _adminDigest);
        var isGateway = CryptographicOperations.FixedTimeEquals(presented, _gatewayDigest);
        if (!isAdmin && !isGateway)
            return ValueTask.FromResult<object?>(Unauthorized(context.HttpContext, "the API key is not valid"));
        if (_adminOnly && !isAdmin)
            return ValueTask.FromResult<object?>(ApiResults.Problem(StatusCodes.Status403Forbidden, "Forbidden", "this route needs the admin API key"));
        return next(context);
    }

    private static IResult Unauthorized(HttpContext context, string detail)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return ApiResults.Problem(StatusCodes.Status401Unauthorized, "Unauthorized", detail);
    }

    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
