// Two EMS servers on one PostgreSQL database (issue 16): an endpoint enrolled and registered
// through one is served by the other, its certificate (from the shared endpoint CA) is accepted
// by both, and a tag change made through either reaches a gateway's change stream on the other.
using System.Net.Http.Headers;
using System.Net.Http.Json;
using PostureGate.Ems.Tls;

namespace PostureGate.Ems.Tests.Postgres;

[Collection(PostgresCollection.Name)]
public class TwoNodeTests(PostgresCluster cluster)
{
    private const string Uid = "F8A6AFF3531843B4972CBDBEEEB30E3C";
    private static readonly TimeSpan Ceiling = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public async Task ChangesThroughEitherNode_ReachGatewayStreamsOnTheOther()
    {
        var database = cluster.NewDatabase();
        await using var a = await TestEms.StartAsync(database: database);
        using var dataB = new TempDirectory();
        var keyFile = Path.Combine(a.Data.Path, PostureGate.Ems.Storage.NodeKeyFile.DefaultFileName);
        await using var b = await EmsServer.StartAsync(TestEms.Options(dataB.Path, database: database, keyFile: keyFile));
        // The API keys were made (and shown) once, by the first node; the second has none to show.
        Assert.Null(b.ApiKey);
        Assert.Equal(a.Server.SerialNumber, b.SerialNumber);
        using var gatewayOnB = Client(b, a.GatewayKey);
        using var adminOnB = Client(b, a.AdminKey);

        var since = a.Server.Store.CurrentVersion();
        await using (var streamOnB = await SseReader.OpenAsync(gatewayOnB, EmsApiRoutes.Changes + $"?since={since}"))
        {
            await a.RegisterAsync(Uid);
            var registered = await streamOnB.TakeAsync(1, Ceiling);
            Assert.Equal("endpoint.registered", registered[0].Kind);
            Assert.Contains(Uid, registered[0].Data);
            since = registered[0].Id;
        }
        var served = await gatewayOnB.GetFromJsonAsync<System.Text.Json.JsonElement>(EmsApiRoutes.Format(EmsApiRoutes.EndpointByUid, ("uid", Uid)));
        Assert.Equal("tester", served.GetProperty("user").GetString());
        // Enrollment and the first report through A: both are in the log B reads.
        since = b.Store.CurrentVersion();
        Assert.Equal(a.Server.Store.CurrentVersion(), since);

        // The endpoint's certificate comes from the CA both nodes share: B takes its report.
        using var endpointOnB = Client(b, null, a.Certificates[Uid]);
        var report = await endpointOnB.PostAsJsonAsync(EmsApiRoutes.Register, new Dictionary<string, object?>
        {
            ["uid"] = Uid,
            ["host"] = "DESKTOP-EMS-TAG-PH2",
            ["user"] = "tester",
            ["ip"] = "10.160.1.198",
            ["facts"] = new { },
        });
        await TestEms.EnsureSuccess(report);

        await using var streamOnA = await SseReader.OpenAsync(a.Gateway, EmsApiRoutes.Changes + $"?since={since}");
        var moved = await streamOnA.TakeAsync(1, Ceiling);
        Assert.Contains("10.160.1.198", moved[0].Data);
        var tagged = await adminOnB.PutAsync(EmsApiRoutes.Format(EmsApiRoutes.AdminEndpointTag, ("uid", Uid), ("tag", "quarantine")), null);
        await TestEms.EnsureSuccess(tagged);
        // A new tag: its definition, then the endpoint holding it.
        var change = await streamOnA.TakeAsync(2, Ceiling);
        Assert.Equal(["tag.defined", "endpoint.updated"], change.Select(c => c.Kind));
        Assert.Contains("quarantine", change[1].Data);
    }

    private static HttpClient Client(EmsServer server, string? apiKey, System.Security.Cryptography.X509Certificates.X509Certificate2? certificate = null)
    {
        var handler = EmsCertificatePinning.CreateHandler(server.CertificateFingerprint);
        if (certificate is not null)
            handler.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate;
        var client = new HttpClient(handler) { BaseAddress = new Uri(server.Url) };
        if (apiKey is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }
}
