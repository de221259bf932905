using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using PostureGate.Ems.Model;

namespace PostureGate.Ems.Tests.Api;

public class GatewayApiTests
{
    private const string Uid1 = "6108A9179A5C40D7BD57504E15114C1F";
    private const string Uid2 = "F8A6AFF3531843B4972CBDBEEEB30E3C";
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Snapshot_CarriesVersionEndpointsAndTags()
    {
        await using var ems = await TestEms.StartAsync();
        await ems.RegisterAsync(Uid1, ip: "172.16.200.242", host: "PC1");
        await ems.RegisterAsync(Uid2, ip: "10.160.1.197");
        Assert.True(ems.Server.Store.AssignTag("Low", Uid2).Succeeded);
        var version = ems.Server.Store.CurrentVersion();

        var snapshot = await ems.Gateway.GetFromJsonAsync<JsonElement>(EmsApiRoutes.Snapshot);
        Assert.Equal(version, snapshot.GetProperty("version").GetInt64());
        Assert.Equal(ems.Server.SerialNumber, snapshot.GetProperty("ems_sn").GetString());
        Assert.Equal(ems.Server.TenantId, snapshot.GetProperty("ems_tenant_id").GetString());
        var endpoints = snapshot.GetProperty("endpoints").EnumerateArray().ToList();
        Assert.Equal([Uid1, Uid2], endpoints.Select(e => e.GetProperty("uid").GetString()));
        var pc1 = endpoints[0];
        Assert.Equal("172.16.200.242", pc1.GetProperty("ip").GetString());
        Assert.Equal("127.0.0.1", pc1.GetProperty("public_ip").GetString());
        Assert.Equal(["00:0c:29:2c:4d:d7", "00:0c:29:2c:4d:e1"], pc1.GetProperty("macs").EnumerateArray().Select(m => m.GetString()));
        Assert.True(pc1.GetProperty("online").GetBoolean());
        Assert.Equal(["all_registered_clients"], Tokens.ZtnaTokenTests.TagNames(pc1));
        Assert.Equal(["Low", "all_registered_clients"], Tokens.ZtnaTokenTests.TagNames(endpoints[1]));
        Assert.Contains(snapshot.GetProperty("tags").EnumerateArray(), t => t.GetProperty("name").GetString() == "Low");
    }

    /// <summary>
    /// Issue 10: a gateway that was away when `certificate.revoked` went out learns the revocation from the snapshot,
    /// under the endpoint CA's key id (a serial is unique per issuer only).
    /// </summary>
    [Fact]
    public async Task Snapshot_NamesTheRevokedCertificates_UnderTheEndpointCasKey()
    {
        await using var ems = await TestEms.StartAsync();
        await ems.RegisterAsync(Uid1);
        await ems.RegisterAsync(Uid2);
        var before = await ems.Gateway.GetFromJsonAsync<JsonElement>(EmsApiRoutes.Snapshot);
        Assert.Empty(before.GetProperty("revoked_certificates").EnumerateArray());

        Assert.True(ems.Server.Store.RevokeEndpoint(Uid1).Succeeded);

        var snapshot = await ems.Gateway.GetFromJsonAsync<JsonElement>(EmsApiRoutes.Snapshot);
        var revoked = Assert.Single(snapshot.GetProperty("revoked_certificates").EnumerateArray());
        Assert.Equal(ems.Certificates[Uid1].SerialNumber, revoked.GetProperty("serial").GetString());
        Assert.Equal(Uid1, revoked.GetProperty("uid").GetString());
        using var ca = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(ems.Server.EndpointCaPem);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(ca.PublicKey.ExportSubjectPublicKeyInfo())),
            snapshot.GetProperty("endpoint_ca_key").GetString());
        Assert.Equal([Uid2], snapshot.GetProperty("endpoints").EnumerateArray().Select(e => e.GetProperty("uid").GetString()));
    }

    [Fact]
    public async Task Lookup_ByIpAndByUid()
    {
        await using var ems = await TestEms.StartAsync();
        await ems.RegisterAsync(Uid1, ip: "172.16.200.242");
        await ems.RegisterAsync(Uid2, ip: "10.160.1.197");

        var byIp = await ems.Gateway.GetFromJsonAsync<JsonElement>(EmsApiRoutes.Format(EmsApiRoutes.EndpointByIp, ("ip", "172.16.200.242")));
        Assert.Equal(Uid1, byIp.GetProperty("uid").GetString());
        var byUid = await ems.Gateway.GetFromJsonAsync<JsonElement>(EmsApiRoutes.Format(EmsApiRoutes.EndpointByUid, ("uid", Uid2.ToLowerInvariant())));
        Assert.Equal("10.160.1.197", byUid.GetProperty("ip").GetString());
        Assert.False(byUid.TryGetProperty("facts", out _));

        Assert.Equal(HttpStatusCode.NotFound, (await ems.Gateway.GetAsync(EmsApiRoutes.Format(EmsApiRoutes.EndpointByIp, ("ip", "10.9.9.9")))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ems.Gateway.GetAsync(EmsApiRoutes.Format(EmsApiRoutes.EndpointByUid, ("uid", new string('0', 32))))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await ems.Gateway.GetAsync(EmsApiRoutes.Format(EmsApiRoutes.EndpointByIp, ("ip", "not-an-ip")))).StatusCode);
    }

    [Fact]
    public async Task ApiKey_Required_AdminRoutesNeedTheAdminKey()
    {
        await using var ems = await TestEms.StartAsync();
        using var wrong = ems.NewClient("pgk_wrong");

        var none = await ems.Client.GetAsync(EmsApiRoutes.Snapshot);
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("application/problem+json", none.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync(EmsApiRoutes.Snapshot)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ems.Gateway.GetAsync(EmsApiRoutes.Snapshot)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ems.Admin.GetAsync(EmsApiRoutes.Snapshot)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await ems.Client.GetAsync(EmsApiRoutes.AdminTags)).StatusCode);
        var gatewayOnAdmin = await ems.Gateway.PutAsJsonAsync(EmsApiRoutes.Format(EmsApiRoutes.AdminTag, ("name", "x")), new { type = 1 });
        Assert.Equal(HttpStatusCode.Forbidden, gatewayOnAdmin.StatusCode);
        Assert.DoesNotContain(ems.Server.Store.ListTags(), t => t.Name == "x");
        Assert.Equal(HttpStatusCode.OK, (await ems.Admin.GetAsync(EmsApiRoutes.AdminTags)).StatusCode);
    }

    [Fact]
    public async Task AdminTagChanges_BumpTheVersion_AndStreamAsEvents_Resumable()
    {
        await using var ems = await TestEms.StartAsync();
        await ems.RegisterAsync(Uid1);
        var start = ems.Server.Store.CurrentVersion();

        await using var stream = await SseReader.OpenAsync(ems.Gateway, EmsApiRoutes.Changes + $"?since={start}");
        Assert.Equal("text/event-stream", stream.Response.Content.Headers.ContentType?.MediaType);

        var add = await ems.Admin.PutAsync(EmsApiRoutes.Format(EmsApiRoutes.AdminEndpointTag, ("uid", Uid1), ("tag", "quarantine")), null);
        await TestEms.EnsureSuccess(add);
        var addVersion = (await add.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt64();
        Assert.True(addVersion > start);

        var events = await stream.TakeAsync(2, Guard);
        Assert.Equal(ChangeKinds.TagDefined, events[0].Kind);
        Assert.Equal(ChangeKinds.EndpointUpdated, events[1].Kind);
        Assert.Equal(addVersion, events[1].Id);
        Assert.True(events[0].Id > start && events[0].Id < events[1].Id);
        using (var data = JsonDocument.Parse(events[1].Data))
        {
            Assert.Equal(addVersion, data.RootElement.GetProperty("version").GetInt64());
            var endpoint = data.RootElement.GetProperty("data");
            Assert.Equal(Uid1, endpoint.GetProperty("uid").GetString());
            Assert.Contains("quarantine", Tokens.ZtnaTokenTests.TagNames(endpoint));
        }

        // Removal through the CLI-side store (as another process would): the stream sees it too.
        var removed = ems.Server.Store.UnassignTag("quarantine", Uid1);
        Assert.Equal(EmsOutcome.Ok, removed.Outcome);
        var removal = (await stream.TakeAsync(1, Guard))[0];
        Assert.Equal(removed.Version, removal.Id);
        using (var data = JsonDocument.Parse(removal.Data))
            Assert.DoesNotContain("quarantine", Tokens.ZtnaTokenTests.TagNames(data.RootElement.GetProperty("data")));

        // Resume from the add with Last-Event-ID (it wins over ?since): only the removal follows.
        await using var resumed = await SseReader.OpenAsync(ems.Gateway, EmsApiRoutes.Changes + "?since=0", lastEventId: addVersion.ToString());
        var replay = await resumed.TakeAsync(1, Guard);
        Assert.Equal(removed.Version, replay[0].Id);

        // And from ?since alone, the whole history after `start`.
        await using var fromSince = await SseReader.OpenAsync(ems.Gateway, EmsApiRoutes.Changes + $"?since={start}");
        Assert.Equal([events[0].Id, events[1].Id, removal.Id], (await fromSince.TakeAsync(3, Guard)).Select(e => e.Id));
    }

    [Fact]
    public async Task Stream_BadOrFutureVersion_IsA4xx()
    {
        await using var ems = await TestEms.StartAsync();
        Assert.Equal(HttpStatusCode.BadRequest, (await ems.Gateway.GetAsync(EmsApiRoutes.Changes + "?since=-1")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await ems.Gateway.GetAsync(EmsApiRoutes.Changes + "?since=abc")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await ems.Gateway.GetAsync(EmsApiRoutes.Changes + "?since=999999")).StatusCode);
    }

    [Fact]
    public async Task Info_And_OpenApi()
    {
        await using var ems = await TestEms.StartAsync();
        var info = await ems.Gateway.GetFromJsonAsync<JsonElement>(EmsApiRoutes.Info);
        Assert.Equal(ems.Server.CertificateFingerprint, info.GetProperty("certificate_fingerprint").GetString());
        Assert.Matches("^([0-9A-F]{2}:){31}[0-9A-F]{2}$", ems.Server.CertificateFingerprint);

        var openApi = await ems.Client.GetFromJsonAsync<JsonElement>(EmsApiRoutes.OpenApi);
        var paths = openApi.GetProperty("paths");
        Assert.True(paths.TryGetProperty(EmsApiRoutes.Register, out _));
        Assert.True(paths.TryGetProperty(EmsApiRoutes.Snapshot, out _));
        Assert.True(paths.TryGetProperty(EmsApiRoutes.AdminTagRule, out _));
        var scheme = openApi.GetProperty("components").GetProperty("securitySchemes").GetProperty("apiKey");
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        Assert.True(paths.GetProperty(EmsApiRoutes.Snapshot).GetProperty("get").TryGetProperty("security", out _));
        Assert.False(paths.GetProperty(EmsApiRoutes.Register).GetProperty("post").TryGetProperty("security", out _));
    }
}
