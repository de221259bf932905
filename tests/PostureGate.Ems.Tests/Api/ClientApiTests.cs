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
    }
}
