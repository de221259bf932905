// Hostile requests to the EMS client, gateway and admin APIs (issue 12): each is refused with a 4xx,
// changes nothing, and leaves no error-level line and no stack trace in the EMS's log.
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;

namespace PostureGate.Ems.Tests.Api;

public class AttackerLogTests
{
    private const string Uid = "F8A6AFF3531843B4972CBDBEEEB30E3C";

    private enum Caller { Anonymous, Endpoint, Gateway, Admin, WrongKey }

    private static readonly string Deep = new string('[', 5000) + new string(']', 5000);

    private static IEnumerable<(Caller Caller, string Method, string Path, string? Body, string ContentType)> Hostile()
    {
        // Malformed and hostile JSON, on every API that reads a body.
        foreach (var (caller, method, path) in new[]
        {
            (Caller.Anonymous, "POST", EmsApiRoutes.Enroll),
            (Caller.Endpoint, "POST", EmsApiRoutes.Register),
            (Caller.Endpoint, "PUT", $"/api/v1/endpoints/{Uid}/facts"),
            (Caller.Admin, "PUT", "/api/v1/admin/tags/t1"),
            (Caller.Admin, "PUT", "/api/v1/admin/tags/t1/rule"),
            (Caller.Admin, "PUT", EmsApiRoutes.AdminTokenSettings),
            (Caller.Admin, "PUT", "/api/v1/admin/profiles/p1"),
        })
        {
            foreach (var body in new[] { "{\"uid\":", "\0\xff\xfe", "[]", "null", "{\"uid\":1e400}", Deep, "{\"facts\":" + Deep + "}" })
                yield return (caller, method, path, body, "application/json");
            // RFC 9110 §15.5.16: a body that is not JSON is refused by its media type.
            yield return (caller, method, path, "<uid>x</uid>", "application/xml");
            yield return (caller, method, path, "uid=x", "application/x-www-form-urlencoded");
            yield return (caller, method, path, "{}", "text/plain");
        }
        // UIDs an attacker chooses, in paths.
        foreach (var uid in new[] { "..%2F..%2Fetc%2Fpasswd", new string('A', 5000), "%00", "F8A6AFF3531843B4972CBDBEEEB30E3G", "%E2%80%AE" })
        {
            yield return (Caller.Endpoint, "GET", $"/api/v1/endpoints/{uid}/token", null, "");
            yield return (Caller.Endpoint, "PUT", $"/api/v1/endpoints/{uid}/facts", "{\"facts\":{}}", "application/json");
            yield return (Caller.Gateway, "GET", $"/api/v1/gateway/endpoints/uid/{uid}", null, "");
            yield return (Caller.Admin, "DELETE", $"/api/v1/admin/endpoints/{uid}", null, "");
            yield return (Caller.Admin, "PUT", $"/api/v1/admin/endpoints/{uid}/tags/t1", null, "");
        }
        yield return (Caller.Gateway, "GET", "/api/v1/gateway/endpoints/ip/999.1.1.1", null, "");
        yield return (Caller.Gateway, "GET", EmsApiRoutes.Changes + "?since=-1", null, "");
        yield return (Caller.Gateway, "GET", EmsApiRoutes.Changes + "?since=99999999999999999999999", null, "");
        // Wrong or missing credentials.
        yield return (Caller.WrongKey, "GET", EmsApiRoutes.Snapshot, null, "");
        yield return (Caller.WrongKey, "GET", EmsApiRoutes.AdminEndpoints, null, "");
        yield return (Caller.Anonymous, "POST", EmsApiRoutes.Register, "{}", "application/json");
        yield return (Caller.Gateway, "DELETE", $"/api/v1/admin/endpoints/{Uid}", null, "");
    }

    [Fact]
    public async Task HostileRequests_LogNoErrorAndNoStackTrace_AndChangeNothing()
    {
        var log = new RecordingLoggerProvider();
        await using var ems = await TestEms.StartAsync(log: log);
        await ems.RegisterAsync(Uid);
        using var wrongKey = ems.NewClient("pg_" + new string('0', 40));
        var before = BadRequestTests.State(ems.Server.Store);
        var entriesBefore = log.Entries.Count;

        foreach (var (caller, method, path, body, contentType) in Hostile())
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (body is not null)
                request.Content = new ByteArrayContent(Encoding.Latin1.GetBytes(body))
                {
                    Headers = { ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType) },
                };
            var client = caller switch
            {
                Caller.Anonymous => ems.Client,
                Caller.Endpoint => ems.EndpointClient(Uid),
                Caller.Gateway => ems.Gateway,
                Caller.Admin => ems.Admin,
                _ => wrongKey,
            };
            using var response = await client.SendAsync(request);
            var status = (int)response.StatusCode;
            Assert.True(status is >= 400 and < 500, $"{method} {Shorten(path)} [{contentType}] {Shorten(body)}: {status} {await response.Content.ReadAsStringAsync()}");
        }
        await OversizedBodyAsync(ems);

        Assert.Equal(before, BadRequestTests.State(ems.Server.Store));
        // ASP.NET Core's own debug lines carry the JsonException; the EMS writes Warning and above only.
        var bad = log.Entries.Skip(entriesBefore)
            .Where(e => e.Level >= LogLevel.Error || (e.Level >= LogLevel.Warning && e.Exception is not null)).ToList();
        Assert.True(bad.Count == 0, string.Join("\n", bad));
    }

    // Kestrel's body limit: refused with 413, or the connection closed while the client still uploads.
    private static async Task OversizedBodyAsync(TestEms ems)
    {
        var body = "{\"uid\":\"" + new string('x', (int)EmsServer.MaxRequestBodyBytes) + "\"}";
        try
        {
            using var response = await ems.Client.PostAsync(EmsApiRoutes.Enroll, new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        }
        catch (HttpRequestException e) when (e.InnerException is IOException)
        {
        }
    }

    private static string Shorten(string? text) => text is null ? "" : text.Length > 60 ? text[..60] + "…" : text;
}
