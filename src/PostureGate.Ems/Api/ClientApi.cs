// Client routes (FortiClient's role): register, report facts, fetch the ZTNA token, profiles.
// The endpoint is identified by its UID (see EmsApiRoutes); its public IP is the HTTP peer.
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PostureGate.Ems.Model;

namespace PostureGate.Ems.Api;

internal static class ClientApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("").WithTags("client");
        group.MapPost(EmsApiRoutes.Register, Register).WithName("Register");
        group.MapPut(EmsApiRoutes.ReportFacts, ReportFacts).WithName("ReportFacts");
        group.MapGet(EmsApiRoutes.Token, Token).WithName("GetToken");
        group.MapGet(EmsApiRoutes.Profiles, Profiles).WithName("GetProfiles");
    }

    private static IResult Register(EndpointReportRequest body, HttpContext http, EmsContext ems)
        => Report(body, null, http, ems, mustExist: false);

    private static IResult ReportFacts(string uid, EndpointReportRequest body, HttpContext http, EmsContext ems)
        => Report(body, uid, http, ems, mustExist: true);

    private static IResult Report(EndpointReportRequest body, string? uid, HttpContext http, EmsContext ems, bool mustExist)
    {
        if (!EndpointReport.TryCreate(body, uid, out var report, out var error))
            return ApiResults.BadRequest(error);
        var result = ems.Store.Report(report!, PeerAddress(http), mustExist);
        if (!result.Succeeded)
            return ApiResults.Problem(result);
        var endpoint = ems.Store.FindByUid(report!.Uid)!;
        if (mustExist)
            return TypedResults.Ok(new ReportResponse(endpoint.Uid, result.Version, endpoint.Tags));
        var settings = ems.Store.GetTokenSettings();
        return TypedResults.Ok(new RegistrationResponse(
            endpoint.Uid, ems.Store.SerialNumber, ems.Store.TenantId, result.Version, endpoint.ZtnaCertSn, endpoint.Tags,
            new TokenSettingsBody(settings.Enabled, settings.LifetimeSeconds, settings.RefreshSeconds),
            ems.Store.ListProfiles()));
    }

    /// <summary>The signed tag token; with `?tunnel=NAME` only the tags that profile sends.</summary>
    private static IResult Token(string uid, string? tunnel, EmsContext ems)
    {
        var settings = ems.Store.GetTokenSettings();
        if (!settings.Enabled)
            return ApiResults.Problem(StatusCodes.Status409Conflict, "ZTNA token disabled", "Enable ZTNA Token is off on this EMS");
        if (!EndpointUid.TryNormalize(uid, out _))
            return ApiResults.BadRequest("uid must be 32 hexadecimal digits");
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
        var token = ems.Issuer.Issue(endpoint, tags, settings, ems.Store.Now);
        return TypedResults.Ok(new TokenResponse(token.Token, token.Kid, token.IssuedAt, token.ExpiresAt, token.RefreshAt));
    }

    private static IResult Profiles(string uid, EmsContext ems)
    {
        if (ems.Store.FindByUid(uid) is null)
            return ApiResults.NotFound($"endpoint {uid} is not registered");
        return TypedResults.Ok(ems.Store.ListProfiles());
    }

    internal static string? PeerAddress(HttpContext http)
    {
        var address = http.Connection.RemoteIpAddress;
        if (address is null)
            return null;
        return (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
    }
}
