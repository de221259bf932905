// Gateway routes (the FortiGate EMS connector's side): identity, full snapshot, change stream,
// single-endpoint lookup, JWKS.
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PostureGate.Ems.Storage;
using PostureGate.Ems.Tokens;

namespace PostureGate.Ems.Api;

internal static class GatewayApi
{
    public static void Map(IEndpointRouteBuilder app, ApiKeyFilter keys)
    {
        var group = app.MapGroup("").WithTags("gateway").AddEndpointFilter(keys);
        group.MapGet(EmsApiRoutes.Info, Info).WithName("GetInfo");
        group.MapGet(EmsApiRoutes.Snapshot, Snapshot).WithName("GetSnapshot");
        group.MapGet(EmsApiRoutes.Changes, ChangeStream.Run).WithName("StreamChanges");
        group.MapGet(EmsApiRoutes.EndpointByUid, ByUid).WithName("GetEndpointByUid");
        group.MapGet(EmsApiRoutes.EndpointByIp, ByIp).WithName("GetEndpointByIp");
        group.MapGet(EmsApiRoutes.Jwks, Jwks).WithName("GetJwks");
        app.MapGet(EmsApiRoutes.WellKnownJwks, Jwks).WithTags("gateway").WithName("GetWellKnownJwks");
    }

    private static IResult Info(EmsContext ems) => TypedResults.Ok(new InfoResponse(
        ems.Store.SerialNumber, ems.Store.TenantId, ems.Store.CurrentVersion(), ems.CertificateFingerprint));

    private static async Task Snapshot(HttpContext http, EmsContext ems)
    {
        http.Response.ContentType = "application/json";
        await ems.Store.WriteSnapshotAsync(http.Response.BodyWriter, ems.EndpointCa.KeyId, http.RequestAborted);
    }

    private static IResult ByUid(string uid, EmsContext ems) => Endpoint(ems, ems.Store.FindByUid(uid), $"no endpoint with uid {uid}");

    private static IResult ByIp(string ip, EmsContext ems)
    {
        if (!Model.IpText.TryNormalize(ip, out _))
            return ApiResults.BadRequest("not an IP address");
        return Endpoint(ems, ems.Store.FindByIp(ip), $"no endpoint with ip {ip}");
    }

    private static IResult Endpoint(EmsContext ems, Model.EndpointRecord? endpoint, string missing)
        => endpoint is null
            ? ApiResults.NotFound(missing)
            : TypedResults.Text(EndpointJson.ToJson(endpoint, ems.Store.Now, ems.Store.OnlineSeconds, includeFacts: false), "application/json");

    private static IResult Jwks(EmsContext ems) => TypedResults.Text(Tokens.Jwks.Write(ems.Keys.Published), "application/jwk-set+json");
}
