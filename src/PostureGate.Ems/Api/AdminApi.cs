// Admin routes: endpoints, tags and rules, token settings, remote access profiles, key rotation.
// The same operations as the `pgate ems` CLI, through the same store methods.
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PostureGate.Ems.Model;
using PostureGate.Ems.Storage;

namespace PostureGate.Ems.Api;

internal static class AdminApi
{
    public static void Map(IEndpointRouteBuilder app, ApiKeyFilter adminKey)
    {
        var group = app.MapGroup("").WithTags("admin").AddEndpointFilter(adminKey);
        group.MapGet(EmsApiRoutes.AdminEndpoints, ListEndpoints).WithName("ListEndpoints");
        group.MapGet(EmsApiRoutes.AdminEndpoint, ShowEndpoint).WithName("ShowEndpoint");
        group.MapPut(EmsApiRoutes.AdminEndpointTag, (string uid, string tag, EmsContext ems) => ApiResults.From(ems.Store.AssignTag(tag, uid))).WithName("AssignTag");
        group.MapDelete(EmsApiRoutes.AdminEndpointTag, (string uid, string tag, EmsContext ems) => ApiResults.From(ems.Store.UnassignTag(tag, uid))).WithName("UnassignTag");
        group.MapGet(EmsApiRoutes.AdminTags, (EmsContext ems) => TypedResults.Ok(ems.Store.ListTags())).WithName("ListTags");
        group.MapPut(EmsApiRoutes.AdminTag, DefineTag).WithName("DefineTag");
        group.MapDelete(EmsApiRoutes.AdminTag, (string name, EmsContext ems) => ApiResults.From(ems.Store.DeleteTag(name))).WithName("DeleteTag");
        group.MapPut(EmsApiRoutes.AdminTagRule, SetRule).WithName("SetRule");
        group.MapDelete(EmsApiRoutes.AdminTagRule, (string name, EmsContext ems) => ApiResults.From(ems.Store.RemoveRule(name))).WithName("RemoveRule");
        group.MapGet(EmsApiRoutes.AdminTokenSettings, GetTokenSettings).WithName("GetTokenSettings");
        group.MapPut(EmsApiRoutes.AdminTokenSettings, SetTokenSettings).WithName("SetTokenSettings");
        group.MapGet(EmsApiRoutes.AdminProfiles, (EmsContext ems) => TypedResults.Ok(ems.Store.ListProfiles())).WithName("ListProfiles");
        group.MapPut(EmsApiRoutes.AdminProfile, SetProfile).WithName("SetProfile");
        group.MapDelete(EmsApiRoutes.AdminProfile, (string name, EmsContext ems) => ApiResults.From(ems.Store.RemoveProfile(name))).WithName("RemoveProfile");
        group.MapPost(EmsApiRoutes.AdminRotateKey, RotateKey).WithName("RotateKey");
    }

    private static IResult ListEndpoints(EmsContext ems)
    {
        var now = ems.Store.Now;
        var json = "[" + string.Join(',', ems.Store.ListEndpoints().Select(e => EndpointJson.ToJson(e, now, ems.Store.OnlineSeconds, includeFacts: false))) + "]";
        return TypedResults.Text(json, "application/json");
    }

    private static IResult ShowEndpoint(string uid, EmsContext ems)
        => ems.Store.FindByUid(uid) is { } endpoint
            ? TypedResults.Text(EndpointJson.ToJson(endpoint, ems.Store.Now, ems.Store.OnlineSeconds, includeFacts: true), "application/json")
            : ApiResults.NotFound($"no endpoint with uid {uid}");

    private static IResult DefineTag(string name, TagTypeRequest body, EmsContext ems)
        => body.Type is { } type ? ApiResults.From(ems.Store.DefineTag(name, type)) : ApiResults.BadRequest("type is required");

    private static IResult SetRule(string name, RuleRequest body, EmsContext ems)
        => body.Expression is { } expression
            ? ApiResults.From(ems.Store.SetRule(name, expression, body.Type))
            : ApiResults.BadRequest("expression is required");

    private static IResult GetTokenSettings(EmsContext ems)
    {
        var s = ems.Store.GetTokenSettings();
        return TypedResults.Ok(new TokenSettingsBody(s.Enabled, s.LifetimeSeconds, s.RefreshSeconds));
    }

    private static IResult SetTokenSettings(TokenSettingsBody body, EmsContext ems)
        => ApiResults.From(ems.Store.SetTokenSettings(body.Enabled, body.Lifetime, body.Refresh));

    private static IResult SetProfile(string name, ProfileRequest body, EmsContext ems)
        => body.Gateway is null
            ? ApiResults.BadRequest("gateway is required")
            : ApiResults.From(ems.Store.SetProfile(new RemoteAccessProfile(name, body.Gateway, body.Tags ?? [])));

    private static IResult RotateKey(EmsContext ems)
    {
        var result = ems.Keys.Rotate();
        return result.Succeeded ? TypedResults.Ok(new RotateResponse(result.Detail!, result.Version)) : ApiResults.Problem(result);
    }
}
