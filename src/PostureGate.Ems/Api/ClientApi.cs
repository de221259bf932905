// Client routes (FortiClient's role): register, report facts, fetch the ZTNA token, profiles.
// All behind mutual TLS (ClientCertificateGate): the endpoint is the one its certificate
// names — a UID in the path or body must be that one. Its public IP is the HTTP peer.
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PostureGate.Ems.Model;

namespace PostureGate.Ems.Api;

internal static class ClientApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("").WithTags("client").WithMetadata(new ClientCertificateRequired());
        group.MapPost(EmsApiRoutes.Register, Register).WithName("Register");
        group.MapPut(EmsApiRoutes.ReportFacts, ReportFacts).WithName("ReportFacts");
        group.MapGet(EmsApiRoutes.Token, Token).WithName("GetToken");
        group.MapGet(EmsApiRoutes.Profiles, Profiles).WithName("GetProfiles");
    }

    private static IResult Register(EndpointReportRequest body, HttpContext http, EmsContext ems)
        => Report(body, http, ems, full: true);

    private static IResult ReportFacts(EndpointReportRequest body, HttpContext http, EmsContext ems)
        => Report(body, http, ems, full: false);

    private static IResult Report(EndpointReportRequest body, HttpContext http, EmsContext ems, bool full)
    {
        var uid = ClientCertificateGate.UidOf(http);
        if (body?.Uid is { } claimed && (!EndpointUid.TryNormalize(claimed, out var normalized) || normalized != uid))
            return ApiResults.Problem(StatusCodes.Status403Forbidden, "Forbidden", $"this client certificate is for endpoint {uid}, not {claimed}");
        if (!EndpointReport.TryCreate(body, uid, out var report, out var error))
            return ApiResults.BadRequest(error);
        var result = ems.Store.Report(report!, PeerAddress(http), mustExist: true);
        if (!result.Succeeded)
            return ApiResults.Problem(result);
        var endpoint = ems.Store.FindByUid(uid)!;
        if (!full)
            return TypedResults.Ok(new ReportResponse(endpoint.Uid, result.Version, endpoint.Tags));
        var settings = ems.Store.GetTokenSettings();
        return TypedResults.Ok(new RegistrationResponse(
            endpoint.Uid, ems.Store.SerialNumber, ems.Store.TenantId, result.Version, endpoint.ZtnaCertSn, endpoint.Tags,
            new TokenSettingsBody(settings.Enabled, settings.LifetimeSeconds, settings.RefreshSeconds),
            ems.Store.ListProfiles()));
    }

    /// <summary>
    /// The signed tag token of the certificate's endpoint; with `?tunnel=NAME` only the tags that profile sends.
    /// It is bound (RFC 7800 cnf) to the certificate this request authenticated with, unless `?binding=none`:
    /// the unbound FortiClient shape, for a client that will not prove that certificate in IKE (a gateway
    /// with ztna-token-binding enable refuses such a token).
    /// </summary>
    private static IResult Token(string? tunnel, string? binding, HttpContext http, EmsContext ems)
    {
        if (binding is not (null or TokenBindingDevice or TokenBindingNone))
            return ApiResults.BadRequest($"binding must be {TokenBindingDevice} or {TokenBindingNone}");
        var settings = ems.Store.GetTokenSettings();
        if (!settings.Enabled)
            return ApiResults.Problem(StatusCodes.Status409Conflict, "ZTNA token disabled", "Enable ZTNA Token is off on this EMS");
        var uid = ClientCertificateGate.UidOf(http);
        if (ems.Store.FindByUid(uid) is not { } endpoint)
            return ApiResults.NotFound($"endpoint {uid} is not registered");
        IEnumerable<TagRef> tags = endpoint.Tags;
        if (tunnel is not null)
        {
            if (ems.Store.ListProfiles().FirstOrDefault(p => p.Name == tunnel) is not { } profile)
                return ApiResults.NotFound($"no remote access profile '{tunnel}'");
            if (profile.Tags.Count > 0)
                tags = tags.Where(t => profile.Tags.Contains(t.Name));
        }
        // Bound (RFC 7800 cnf) to the certificate this request authenticated with: ClientCertificateGate checked it is the endpoint's own.
        var bindTo = binding == TokenBindingNone ? null : http.Connection.ClientCertificate?.RawData;
        var token = ems.Issuer.Issue(endpoint, tags, settings, ems.Store.Now, bindTo);
        return TypedResults.Ok(new TokenResponse(token.Token, token.Kid, token.IssuedAt, token.ExpiresAt, token.RefreshAt));
    }

    public const string TokenBindingDevice = "device-certificate";
    public const string TokenBindingNone = "none";

    private static IResult Profiles(EmsContext ems) => TypedResults.Ok(ems.Store.ListProfiles());

    internal static string? PeerAddress(HttpContext http)
    {
        var address = http.Connection.RemoteIpAddress;
        if (address is null)
            return null;
        return (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
    }
}
