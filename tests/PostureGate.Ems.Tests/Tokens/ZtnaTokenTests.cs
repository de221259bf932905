using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace PostureGate.Ems.Tests.Tokens;

public class ZtnaTokenTests
{
    private const string Uid = "F8A6AFF3531843B4972CBDBEEEB30E3C";

    // FortiGate admin guide, "Enforcing security posture verification before dial-up VPN
    // connection", Example 2: the payload of the token FortiClient sent (received ZTNA tags update token).
    private const string SeedPayload = "eyJlbmRwb2ludCI6eyJ1aWQiOiJGOEE2QUZGMzUzMTg0M0I0OTcyQ0JEQkVFRUIzMEUzQyIsInRhZ3MiOlt7Im5hbWUiOiJhIiwidHlwZSI6MSwibGV2bCI6bnVsbH0seyJuYW1lIjoiYWxsX3JlZ2lzdGVyZWRfY2xpZW50cyIsInR5cGUiOjEsImxldmwiOm51bGx9LHsibmFtZSI6IkxvdyIsInR5cGUiOjMsImxldmwiOm51bGx9XSwibndpZnMiOm51bGwsInp0bmFfY2VydF9zbiI6IkIwOUQ5NzE3ODEyMUI1ODhFRDMwNTUxMzc1Nzc1MjJDN0I2ODlCNzkiLCJvd25lciI6bnVsbH0sImV4cCI6MTc2OTc2MTM4NywiaWF0IjoxNzY5NzU3Nzg3fQ";

    [Fact]
    public async Task RegisterFactsRulesToken_VerifiesWithJwks_AndHasTheSeedShape()
    {
        await using var ems = await TestEms.StartAsync();
        await TestEms.EnsureSuccess(await ems.Admin.PutAsJsonAsync(EmsApiRoutes.AdminTokenSettings, new { enabled = true, lifetime = 3600, refresh = 600 }));
        await TestEms.EnsureSuccess(await ems.Admin.PutAsJsonAsync(
            EmsApiRoutes.Format(EmsApiRoutes.AdminTagRule, ("name", "os_current")), new { expression = "os.build >= 19045 and av.running", type = 3 }));
        await TestEms.EnsureSuccess(await ems.Admin.PutAsJsonAsync(
            EmsApiRoutes.Format(EmsApiRoutes.AdminTagRule, ("name", "a")), new { expression = "disk.encrypted" }));

        var registered = await ems.RegisterAsync(Uid, new { os = new { build = 9200 }, av = new { running = true }, disk = new { encrypted = true } });
        Assert.Equal(["a", "all_registered_clients"], TagNames(registered));

        // Facts change: the OS is now current, the disk no longer encrypted.
        var report = await ems.EndpointClient(Uid).PutAsJsonAsync(EmsApiRoutes.Format(EmsApiRoutes.ReportFacts, ("uid", Uid)),
            new { facts = new { os = new { build = 19045 }, av = new { running = true }, disk = new { encrypted = false } } });
        await TestEms.EnsureSuccess(report);
        var reported = await report.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["all_registered_clients", "os_current"], TagNames(reported));

        // binding=none: the unbound FortiClient shape (a bound token ends with cnf, below).
        var response = await ems.EndpointClient(Uid).GetFromJsonAsync<JsonElement>(EmsApiRoutes.Format(EmsApiRoutes.Token, ("uid", Uid)) + "?binding=none");
        var token = response.GetProperty("token").GetString()!;
        var iat = response.GetProperty("iat").GetInt64();
        var exp = response.GetProperty("exp").GetInt64();
        Assert.Equal(3600, exp - iat);
        Assert.Equal(600, response.GetProperty("refresh_at").GetInt64() - iat);

        // Header: RS256, JWT, and the kid of a key in the JWKS.
        var parts = token.Split('.');
        Assert.Equal(3, parts.Length);
        using var header = JsonDocument.Parse(Base64UrlEncoder.Decode(parts[0]));
        Assert.Equal("RS256", header.RootElement.GetProperty("alg").GetString());
        Assert.Equal("JWT", header.RootElement.GetProperty("typ").GetString());
        var kid = header.RootElement.GetProperty("kid").GetString();
        Assert.Equal(response.GetProperty("kid").GetString(), kid);

        // Payload: exactly the seed's member structure and order, with our values.
        var payload = Base64UrlEncoder.Decode(parts[1]);
        using var ours = JsonDocument.Parse(payload);
        using var seed = JsonDocument.Parse(Base64UrlEncoder.Decode(SeedPayload));
        Assert.Equal(Shape(seed.RootElement), Shape(ours.RootElement));
        var endpoint = await ems.Admin.GetFromJsonAsync<JsonElement>(EmsApiRoutes.Format(EmsApiRoutes.AdminEndpoint, ("uid", Uid)));
        var certSn = endpoint.GetProperty("ztna_cert_sn").GetString();
        Assert.Equal(
            $$"""{"endpoint":{"uid":"{{Uid}}","tags":[{"name":"all_registered_clients","type":1,"levl":null},{"name":"os_current","type":3,"levl":null}],"nwifs":null,"ztna_cert_sn":"{{certSn}}","owner":null},"exp":{{exp}},"iat":{{iat}}}""",
            payload);

        // Signature: verifies with the published JWKS key, and with nothing else.
        var jwks = new JsonWebKeySet(await ems.Gateway.GetStringAsync(EmsApiRoutes.Jwks));
        Assert.Contains(jwks.Keys, k => k.Kid == kid && k.Kty == "RSA" && k.Alg == "RS256");
        var handler = new JsonWebTokenHandler();
        var valid = await handler.ValidateTokenAsync(token, Parameters(jwks.GetSigningKeys()));
        Assert.True(valid.IsValid, valid.Exception?.Message);
        var tampered = parts[0] + "." + Base64UrlEncoder.Encode(payload.Replace("os_current", "os_curren7")) + "." + parts[2];
        Assert.False((await handler.ValidateTokenAsync(tampered, Parameters(jwks.GetSigningKeys()))).IsValid);
    }

    // RFC 7800 §3.1 cnf, RFC 8705 §3.1 x5t#S256: by default the token is bound to the device
    // certificate the endpoint fetched it with — the seed's payload, then "cnf" last.
    [Fact]
    public async Task TokenFetchedWithTheDeviceCertificate_IsBoundToIt()
    {
        await using var ems = await TestEms.StartAsync();
        Assert.True(ems.Server.Store.SetTokenSettings(true, 3600, 600).Succeeded);
        await ems.RegisterAsync(Uid);

        foreach (var query in (string[])["", "?binding=device-certificate"])
        {
            var response = await ems.EndpointClient(Uid).GetAsync(EmsApiRoutes.Format(EmsApiRoutes.Token, ("uid", Uid)) + query);
            await TestEms.EnsureSuccess(response);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            var payload = Base64UrlEncoder.Decode(body.GetProperty("token").GetString()!.Split('.')[1]);
            using var doc = JsonDocument.Parse(payload);
            var cnf = doc.RootElement.EnumerateObject().Last();
            Assert.Equal("cnf", cnf.Name);
            var x5t = Assert.Single(cnf.Value.EnumerateObject());
            Assert.Equal("x5t#S256", x5t.Name);
            Assert.Equal(System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.SHA256.HashData(ems.Certificates[Uid].RawData)), x5t.Value.GetString());
        }
    }

    [Fact]
    public async Task AnUnknownBinding_IsABadRequest_AndSignsNothing()
    {
        await using var ems = await TestEms.StartAsync();
        Assert.True(ems.Server.Store.SetTokenSettings(true, 3600, 600).Succeeded);
        await ems.RegisterAsync(Uid);

        var response = await ems.EndpointClient(Uid).GetAsync(EmsApiRoutes.Format(EmsApiRoutes.Token, ("uid", Uid)) + "?binding=jwk");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("\"token\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Rotation_KeepsTheOldKeyInTheJwks_UntilItsTokensExpire()
    {
        await using var ems = await TestEms.StartAsync();
        Assert.True(ems.Server.Store.SetTokenSettings(true, 3600, 600).Succeeded);
        await ems.RegisterAsync(Uid);
        var before = await ems.EndpointClient(Uid).GetFromJsonAsync<JsonElement>(EmsApiRoutes.Format(EmsApiRoutes.Token, ("uid", Uid)));

        var rotate = await ems.Admin.PostAsync(EmsApiRoutes.AdminRotateKey, null);
        await TestEms.EnsureSuccess(rotate);
        var newKid = (await rotate.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("kid").GetString();
        Assert.NotEqual(before.GetProperty("kid").GetString(), newKid);

        var after = await ems.EndpointClient(Uid).GetFromJsonAsync<JsonElement>(EmsApiRoutes.Format(EmsApiRoutes.Token, ("uid", Uid)));
        Assert.Equal(newKid, after.GetProperty("kid").GetString());
        var jwks = new JsonWebKeySet(await ems.Client.GetStringAsync(EmsApiRoutes.WellKnownJwks));
        Assert.Equal(2, jwks.Keys.Count);
        var handler = new JsonWebTokenHandler();
        Assert.True((await handler.ValidateTokenAsync(before.GetProperty("token").GetString(), Parameters(jwks.GetSigningKeys()))).IsValid);
        Assert.True((await handler.ValidateTokenAsync(after.GetProperty("token").GetString(), Parameters(jwks.GetSigningKeys()))).IsValid);
    }

    [Fact]
    public async Task Tunnel_LimitsTokenTagsToTheProfile()
    {
        await using var ems = await TestEms.StartAsync();
        var store = ems.Server.Store;
        Assert.True(store.SetTokenSettings(true, null, null).Succeeded);
        await ems.RegisterAsync(Uid);
        Assert.True(store.AssignTag("a", Uid).Succeeded);
        Assert.True(store.SetProfile(new PostureGate.Ems.Model.RemoteAccessProfile("FCT_EMS_TAG_ph2", "10.160.1.1", ["a"])).Succeeded);

        var response = await ems.EndpointClient(Uid).GetFromJsonAsync<JsonElement>(EmsApiRoutes.Format(EmsApiRoutes.Token, ("uid", Uid)) + "?tunnel=FCT_EMS_TAG_ph2");
        using var payload = JsonDocument.Parse(Base64UrlEncoder.Decode(response.GetProperty("token").GetString()!.Split('.')[1]));
        var names = payload.RootElement.GetProperty("endpoint").GetProperty("tags").EnumerateArray().Select(t => t.GetProperty("name").GetString());
        Assert.Equal(["a"], names);

        var missing = await ems.EndpointClient(Uid).GetAsync(EmsApiRoutes.Format(EmsApiRoutes.Token, ("uid", Uid)) + "?tunnel=nope");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Disabled_RefusesTokens()
    {
        await using var ems = await TestEms.StartAsync();
        await ems.RegisterAsync(Uid);
        var response = await ems.EndpointClient(Uid).GetAsync(EmsApiRoutes.Format(EmsApiRoutes.Token, ("uid", Uid)));
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static TokenValidationParameters Parameters(IEnumerable<SecurityKey> keys) => new()
    {
        ValidateIssuer = false,
        ValidateAudience = false,
        ValidateLifetime = true,
        IssuerSigningKeys = keys,
        ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
    };

    internal static List<string?> TagNames(JsonElement body) =>
        body.GetProperty("tags").EnumerateArray().Select(t => t.GetProperty("name").GetString()).ToList();

    /// <summary>Member names in order and value kinds, recursively; arrays by their first element.</summary>
    private static string Shape(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "{" + string.Join(",", element.EnumerateObject().Select(p => p.Name + ":" + Shape(p.Value))) + "}",
        JsonValueKind.Array => "[" + (element.GetArrayLength() > 0 ? Shape(element[0]) : "") + "]",
        JsonValueKind.True or JsonValueKind.False => "bool",
        _ => element.ValueKind.ToString(),
    };
}
