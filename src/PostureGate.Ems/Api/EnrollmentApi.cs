// Enrollment routes (issue 10 "Enrollment"): POST /api/v1/enroll with the endpoint's CSR and an
// invitation code (or none, to wait for approval when the EMS allows it) — no client certificate
// yet; POST /api/v1/enroll/renew with a new CSR, authenticated by the current certificate.
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PostureGate.Ems.Enrollment;
using PostureGate.Ems.Model;
using PostureGate.Ems.Storage;

namespace PostureGate.Ems.Api;

internal static class EnrollmentApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost(EmsApiRoutes.Enroll, Enroll).WithTags("enrollment").WithName("Enroll");
        app.MapPost(EmsApiRoutes.Renew, Renew).WithTags("enrollment").WithName("RenewCertificate").WithMetadata(new ClientCertificateRequired());
    }

    private static IResult Enroll(EnrollRequest body, HttpContext http, EmsContext ems)
    {
        if (body is null || !EndpointUid.TryNormalize(body.Uid, out var uid))
            return ApiResults.BadRequest("uid must be 32 hexadecimal digits");
        if (!SigningRequest.TryParse(body.Csr, uid, out var request, out var error))
            return ApiResults.BadRequest(error);
        var result = ems.Store.Enroll(request!, body.Invite, ClientApi.PeerAddress(http), ems.EndpointCa, ems.CertificateLifetime);
        return Answer(result, uid, ems);
    }

    private static IResult Renew(RenewRequest body, HttpContext http, EmsContext ems)
    {
        var uid = ClientCertificateGate.UidOf(http);
        if (body is null)
            return ApiResults.BadRequest("body is required");
        if (!SigningRequest.TryParse(body.Csr, uid, out var request, out var error))
            return ApiResults.BadRequest(error);
        return Answer(ems.Store.Renew(request!, ems.EndpointCa, ems.CertificateLifetime), uid, ems);
    }

    private static IResult Answer(EnrollmentResult result, string uid, EmsContext ems)
    {
        if (!result.Result.Succeeded)
            return ApiResults.Problem(result.Result);
        if (result.Certificate is not { } certificate)
            return TypedResults.Json(new PendingResponse(uid, "pending", $"waiting for an admin: pgate ems endpoint approve {uid}"),
                statusCode: StatusCodes.Status202Accepted);
        using (certificate)
        {
            return TypedResults.Ok(new EnrollResponse(uid, certificate.SerialNumber, certificate.ExportCertificatePem(), ems.EndpointCa.CertificatePem,
                new DateTimeOffset(certificate.NotAfter.ToUniversalTime()).ToUnixTimeSeconds()));
        }
    }
}
