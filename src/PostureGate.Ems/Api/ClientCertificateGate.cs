// Mutual TLS for the client API (issue 10 "Mutual TLS"): every client route after enrollment
// needs the endpoint certificate this EMS issued — chained to the endpoint CA, within its
// validity, not revoked, its endpoint still enrolled. The endpoint's UID is the certificate's;
// a route naming another UID is refused. TLS itself already proved the key (CertificateVerify,
// RFC 8446 §4.4.3); Kestrel accepts any certificate so that the refusal here carries a reason.
// It runs as middleware after routing, on routes marked with ClientCertificateRequired, so a
// caller without a certificate is refused before its body is even read.
using Microsoft.AspNetCore.Http;
using PostureGate.Ems.Enrollment;
using PostureGate.Ems.Model;

namespace PostureGate.Ems.Api;

/// <summary>Route metadata: this route needs the endpoint's certificate.</summary>
internal sealed class ClientCertificateRequired;

internal static class ClientCertificateGate
{
    private const string UidItem = "posturegate.uid";

    /// <summary>The authenticated endpoint's UID (only inside a route marked ClientCertificateRequired).</summary>
    public static string UidOf(HttpContext http) => (string)http.Items[UidItem]!;

    public static async Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<ClientCertificateRequired>() is null)
        {
            await next(http).ConfigureAwait(false);
            return;
        }
        var ems = http.RequestServices.GetService(typeof(EmsContext)) as EmsContext ?? throw new InvalidOperationException("no EMS context");
        if (await CheckAsync(http, ems).ConfigureAwait(false) is { } refusal)
        {
            await refusal.ExecuteAsync(http).ConfigureAwait(false);
            return;
        }
        await next(http).ConfigureAwait(false);
    }

    private static async Task<IResult?> CheckAsync(HttpContext http, EmsContext ems)
    {
        var certificate = await http.Connection.GetClientCertificateAsync(http.RequestAborted).ConfigureAwait(false);
        if (certificate is null)
            return Unauthorized("a client certificate is required: enroll first (pgate client connect --invite CODE)");
        if (!ems.EndpointCa.TryValidate(certificate, ems.Store.Time.GetUtcNow(), out var reason))
            return Unauthorized(reason);
        if (!EndpointCertificateName.TryReadUid(certificate.SubjectName, out var uid)
            || ems.Store.FindCertificate(certificate.SerialNumber) is not { } issued || issued.Uid != uid)
            return Unauthorized("the client certificate is not one this EMS issued");
        if (issued.RevokedAt is { } revoked)
            return Unauthorized($"the client certificate was revoked at {DateTimeOffset.FromUnixTimeSeconds(revoked):u}");
        if (ems.Store.FindByUid(uid) is null)
            return Unauthorized($"endpoint {uid} is no longer enrolled");
        // A route that names a UID must name the certificate's own (never another endpoint's record).
        if (http.Request.RouteValues.TryGetValue("uid", out var routeUid) && routeUid is string named
            && (!EndpointUid.TryNormalize(named, out var normalized) || normalized != uid))
            return ApiResults.Problem(StatusCodes.Status403Forbidden, "Forbidden", $"this client certificate is for endpoint {uid}, not {named}");
        http.Items[UidItem] = uid;
        return null;
    }

    private static IResult Unauthorized(string detail) => ApiResults.Problem(StatusCodes.Status401Unauthorized, "Unauthorized", detail);
}
