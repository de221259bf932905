using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using PostureGate.Ems.Storage;

namespace PostureGate.Ems.Tests.Api;

/// <summary>Every bad request gets a 4xx RFC 7807 problem with a reason, and the store is untouched.</summary>
public class BadRequestTests(BadRequestTests.Fixture fixture) : IClassFixture<BadRequestTests.Fixture>
{
    private const string Uid = "F8A6AFF3531843B4972CBDBEEEB30E3C";
    private readonly TestEms _ems = fixture.Ems;

    /// <summary>One server for all cases: none of them may change it, which each case checks.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        internal TestEms Ems { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Ems = await TestEms.StartAsync();
            await Ems.RegisterAsync(Uid, new { os = new { build = 19045 } });
            Assert.True(Ems.Server.Store.SetRule("os_current", "os.build >= 19045").Succeeded);
        }

        public async Task DisposeAsync() => await Ems.DisposeAsync();
    }

    public static TheoryData<string, string, string, string, HttpStatusCode> Cases => new()
    {
        // name, method, path, body, status
        { "MalformedJson", "POST", EmsApiRoutes.Register, "{\"uid\":", HttpStatusCode.BadRequest },
        { "EmptyBody", "POST", EmsApiRoutes.Register, "", HttpStatusCode.BadRequest },
        // Client routes are sent with the enrolled endpoint's certificate: a UID that is not its own is refused (403).
        { "UidTooShort", "POST", EmsApiRoutes.Register, "{\"uid\":\"F8A6AFF3\"}", HttpStatusCode.Forbidden },
        { "UidNotHex", "POST", EmsApiRoutes.Register, "{\"uid\":\"Z8A6AFF3531843B4972CBDBEEEB30E3C\"}", HttpStatusCode.Forbidden },
        { "RegisterAsAnotherEndpoint", "POST", EmsApiRoutes.Register, "{\"uid\":\"00000000000000000000000000000001\"}", HttpStatusCode.Forbidden },
        { "BadIp", "POST", EmsApiRoutes.Register, "{\"ip\":\"10.0.0.300\"}", HttpStatusCode.BadRequest },
        { "BadMac", "POST", EmsApiRoutes.Register, "{\"macs\":[\"00-0c-29\"]}", HttpStatusCode.BadRequest },
        { "FactsNotObject", "POST", EmsApiRoutes.Register, "{\"facts\":[1]}", HttpStatusCode.BadRequest },
        { "UnknownMember", "POST", EmsApiRoutes.Register, "{\"hostname\":\"x\"}", HttpStatusCode.BadRequest },
        { "HostTooLong", "POST", EmsApiRoutes.Register, "{\"host\":\"" + new string('h', 300) + "\"}", HttpStatusCode.BadRequest },
        { "ReportAnotherEndpoint", "PUT", "/api/v1/endpoints/00000000000000000000000000000001/facts", "{\"facts\":{}}", HttpStatusCode.Forbidden },
        { "ReportUidMismatch", "PUT", $"/api/v1/endpoints/{Uid}/facts", "{\"uid\":\"00000000000000000000000000000001\",\"facts\":{}}", HttpStatusCode.Forbidden },
        { "TokenOfAnotherEndpoint", "GET", "/api/v1/endpoints/00000000000000000000000000000001/token", "", HttpStatusCode.Forbidden },
        { "RuleSyntax", "PUT", "/api/v1/admin/tags/bad/rule", "{\"expression\":\"os.build >= \"}", HttpStatusCode.BadRequest },
        { "RuleMissingExpression", "PUT", "/api/v1/admin/tags/bad/rule", "{}", HttpStatusCode.BadRequest },
        { "TagNameInvalid", "PUT", "/api/v1/admin/tags/bad%20name", "{\"type\":1}", HttpStatusCode.BadRequest },
        { "TagTypeOutOfRange", "PUT", "/api/v1/admin/tags/ok", "{\"type\":70000}", HttpStatusCode.BadRequest },
        { "TagTypeWrongKind", "PUT", "/api/v1/admin/tags/ok", "{\"type\":\"one\"}", HttpStatusCode.BadRequest },
        { "AssignToUnknownEndpoint", "PUT", "/api/v1/admin/endpoints/00000000000000000000000000000001/tags/x", "", HttpStatusCode.NotFound },
        { "UnassignNotAssigned", "DELETE", $"/api/v1/admin/endpoints/{Uid}/tags/x", "", HttpStatusCode.NotFound },
        { "UnassignRuleTag", "DELETE", $"/api/v1/admin/endpoints/{Uid}/tags/os_current", "", HttpStatusCode.Conflict },
        { "RemoveMissingRule", "DELETE", "/api/v1/admin/tags/nope/rule", "", HttpStatusCode.NotFound },
        { "RefreshNotShorterThanLifetime", "PUT", EmsApiRoutes.AdminTokenSettings, "{\"enabled\":true,\"lifetime\":600,\"refresh\":600}", HttpStatusCode.BadRequest },
        { "LifetimeTooShort", "PUT", EmsApiRoutes.AdminTokenSettings, "{\"lifetime\":5}", HttpStatusCode.BadRequest },
        { "ProfileWithoutGateway", "PUT", "/api/v1/admin/profiles/p1", "{\"tags\":[\"a\"]}", HttpStatusCode.BadRequest },
        { "ProfileBadTag", "PUT", "/api/v1/admin/profiles/p1", "{\"gateway\":\"gw\",\"tags\":[\"a b\"]}", HttpStatusCode.BadRequest },
        { "UnknownRoute", "GET", "/api/v1/nothing", "", HttpStatusCode.NotFound },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Refused_WithProblem_AndNothingChanges(string name, string method, string path, string body, HttpStatusCode status)
    {
        var before = State(_ems.Server.Store);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body.Length > 0 || method is "POST" or "PUT")
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        var client = path.StartsWith("/api/v1/endpoints", StringComparison.Ordinal) ? _ems.EndpointClient(Uid) : _ems.Admin;
        var response = await client.SendAsync(request);

        Assert.True(status == response.StatusCode, $"{name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Equal(before, State(_ems.Server.Store));
    }

    [Fact]
    public async Task RuleSyntaxError_NamesTheColumn()
    {
        var response = await _ems.Admin.PutAsJsonAsync("/api/v1/admin/tags/bad/rule", new { expression = "os.build >= 19045 and (av.running" });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("rule 'bad': column 34: expected ')' to close the '(' at column 23", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task OversizedBody_IsRefused()
    {
        var before = State(_ems.Server.Store);
        var facts = "{\"blob\":\"" + new string('x', (int)EmsServer.MaxRequestBodyBytes) + "\"}";
        // Kestrel answers 413 as soon as it sees the Content-Length; the client may still be
        // uploading and then sees the connection close instead of the answer. Both are refusals.
        try
        {
            var response = await _ems.EndpointClient(Uid).PostAsync(EmsApiRoutes.Register,
                new StringContent($"{{\"facts\":{facts}}}", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        }
        catch (HttpRequestException e) when (e.InnerException is IOException)
        {
        }
        Assert.Equal(before, State(_ems.Server.Store));
    }

    /// <summary>Everything a request could change, as one comparable string.</summary>
    internal static string State(EmsStore store) => string.Join("\n",
        store.CurrentVersion(),
        JsonSerializer.Serialize(store.ListEndpoints()),
        JsonSerializer.Serialize(store.ListTags()),
        JsonSerializer.Serialize(store.GetTokenSettings()),
        JsonSerializer.Serialize(store.ListProfiles()));
}
