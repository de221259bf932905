using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace PostureGate.Ems.Tests.Api;

public class ClientApiTests
{
    private const string Uid = "F8A6AFF3531843B4972CBDBEEEB30E3C";

    [Fact]
    public async Task Register_ReturnsIdentityAndRuleTags()
    {
        await using var ems = await TestEms.StartAsync();
        var body = await ems.RegisterAsync(Uid.ToLowerInvariant());

        Assert.Equal(Uid, body.GetProperty("uid").GetString());
        Assert.Matches("^FCTEMS[0-9]{10}$", body.GetProperty("ems_sn").GetString());
        Assert.Matches("^[0-9A-F]{32}$", body.GetProperty("ems_tenant_id").GetString());
        Assert.Matches("^[0-9A-F]{40}$", body.GetProperty("ztna_cert_sn").GetString());
        var tags = body.GetProperty("tags").EnumerateArray().Select(t => t.GetProperty("name").GetString()).ToList();
        Assert.Equal(["all_registered_clients"], tags);
        Assert.True(body.GetProperty("version").GetInt64() > 0);
        Assert.False(body.GetProperty("token_settings").GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task Profiles_FromAdmin_ReachTheClient()
    {
        await using var ems = await TestEms.StartAsync();
        var put = await ems.Admin.PutAsJsonAsync(EmsApiRoutes.Format(EmsApiRoutes.AdminProfile, ("name", "FCT_EMS_TAG_ph2")),
            new { gateway = "10.160.1.1", tags = new[] { "a", "all_registered_clients" } });
        await TestEms.EnsureSuccess(put);

        var registered = await ems.RegisterAsync(Uid);
        var profile = registered.GetProperty("profiles").EnumerateArray().Single();
        Assert.Equal("FCT_EMS_TAG_ph2", profile.GetProperty("name").GetString());
        Assert.Equal("10.160.1.1", profile.GetProperty("gateway").GetString());
        Assert.Equal(["a", "all_registered_clients"], profile.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));

        var listed = await ems.EndpointClient(Uid).GetFromJsonAsync<JsonElement>(EmsApiRoutes.Format(EmsApiRoutes.Profiles, ("uid", Uid)));
        Assert.Equal(1, listed.GetArrayLength());
        await TestEms.EnsureSuccess(await ems.Admin.DeleteAsync(EmsApiRoutes.Format(EmsApiRoutes.AdminProfile, ("name", "FCT_EMS_TAG_ph2"))));
        listed = await ems.EndpointClient(Uid).GetFromJsonAsync<JsonElement>(EmsApiRoutes.Format(EmsApiRoutes.Profiles, ("uid", Uid)));
        Assert.Equal(0, listed.GetArrayLength());
        Assert.Equal(HttpStatusCode.Forbidden, (await ems.EndpointClient(Uid).GetAsync(EmsApiRoutes.Format(EmsApiRoutes.Profiles, ("uid", new string('0', 32))))).StatusCode);
    }

    [Fact]
    public async Task Report_KeepsUnsentFields_AndRecordsThePeerAsPublicIp()
    {
        await using var ems = await TestEms.StartAsync();
        await ems.RegisterAsync(Uid, new { av = new { running = true } });
        var response = await ems.EndpointClient(Uid).PutAsJsonAsync(EmsApiRoutes.Format(EmsApiRoutes.ReportFacts, ("uid", Uid)), new { ip = "10.160.1.198" });
        await TestEms.EnsureSuccess(response);

        var endpoint = ems.Server.Store.FindByUid(Uid)!;
        Assert.Equal("10.160.1.198", endpoint.Ip);
        Assert.Equal("DESKTOP-EMS-TAG-PH2", endpoint.Host);
        Assert.Equal("127.0.0.1", endpoint.PublicIp);
        Assert.Equal(["00:0c:29:2c:4d:d7", "00:0c:29:2c:4d:e1"], endpoint.Macs);
        Assert.Contains("\"running\":true", endpoint.Facts);
    }
}
