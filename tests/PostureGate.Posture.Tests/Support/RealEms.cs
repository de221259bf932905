// A real PostureGate EMS on 127.0.0.1 over a temporary data directory, for end-to-end tests
// of the connector: snapshot, SSE push, lookups, JWKS, tokens, pinned TLS.
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using PostureGate.Ems;
using PostureGate.Ems.Model;

namespace PostureGate.Posture.Tests;

internal sealed class RealEms : IAsyncDisposable
{
    private readonly string _directory;

    private RealEms(string directory, EmsServer server)
    {
        _directory = directory;
        Server = server;
        GatewayKey = server.ApiKey!;
    }

    /// <summary>The gateway key the first start showed (a restart shows none).</summary>
    public string GatewayKey { get; }

    public EmsServer Server { get; private set; }
    public int Port => new Uri(Server.Url).Port;

    public static async Task<RealEms> StartAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "pg-posture-" + Guid.NewGuid().ToString("N"));
        return new RealEms(directory, await EmsServer.StartAsync(Options(directory, "https://127.0.0.1:0")));
    }

    private static EmsOptions Options(string directory, string listen) => new()
    {
        DataDirectory = directory,
        Listen = listen,
        ChangePollInterval = TimeSpan.FromMilliseconds(100),
        ConfigureLogging = _ => { },
    };

    public async Task StopAsync() => await Server.StopAsync();

    /// <summary>Starts again over the same data directory and port (same serial, keys, certificate).</summary>
    public async Task RestartAsync(int port) => Server = await EmsServer.StartAsync(Options(_directory, $"https://127.0.0.1:{port}"));

    public EmsConnectorSettings Connector(int id = 1, string? fingerprint = null, string? apiKey = null, TimeSpan? threshold = null) => new()
    {
        Id = id,
        Name = "ems",
        Server = "127.0.0.1",
        Port = Port,
        SerialNumber = Server.SerialNumber,
        TenantId = Server.TenantId,
        CertificateFingerprint = fingerprint ?? Server.CertificateFingerprint,
        ApiKey = apiKey ?? GatewayKey,
        CallTimeout = TimeSpan.FromSeconds(5),
        OutOfSyncThreshold = threshold ?? TimeSpan.FromSeconds(180),
        ReconnectDelayMin = TimeSpan.FromMilliseconds(50),
        ReconnectDelayMax = TimeSpan.FromMilliseconds(300),
    };

    public void Register(string uid, string ip)
    {
        Assert.True(EndpointReport.TryCreate(new EndpointReportRequest(uid, "DESKTOP-EMS-TAG-PH2", "tester", "Windows", "10", "7.4.5.1949", ip, ["00-0c-29-2c-4d-d7"], null), null, out var report, out var error), error);
        Assert.Contains(Server.Store.Report(report!, "203.0.113.5", mustExist: false).Outcome, new[] { EmsOutcome.Ok, EmsOutcome.Unchanged });
    }

    public void Tag(string uid, string tag)
    {
        Server.Store.DefineTag(tag, 1);
        // Ok, or Unchanged when a rule (e.g. all_registered_clients) already gave it.
        Assert.Contains(Server.Store.AssignTag(tag, uid).Outcome, new[] { EmsOutcome.Ok, EmsOutcome.Unchanged });
    }

    public void Untag(string uid, string tag) => Assert.Equal(EmsOutcome.Ok, Server.Store.UnassignTag(tag, uid).Outcome);

    /// <summary>The endpoint's token, fetched like FortiClient does: enrolled (invitation + CSR), then the
    /// client route with its certificate, pinned TLS; unbound (`binding=none`), FortiClient's shape.</summary>
    public async Task<string> TokenAsync(string uid) => (await FetchTokenAsync(uid, "?binding=none")).Token;

    /// <summary>The token as `pgate ems` signs it by default: bound (RFC 7800 cnf) to the device certificate it was fetched with.</summary>
    public Task<(string Token, byte[] CertificateDer)> BoundTokenAsync(string uid) => FetchTokenAsync(uid, "");

    private async Task<(string Token, byte[] CertificateDer)> FetchTokenAsync(string uid, string query)
    {
        Server.Store.SetTokenSettings(true, 3600, 900);
        using var certificate = await EnrollAsync(uid);
        var handler = PostureGate.Ems.Tls.EmsCertificatePinning.CreateHandler(Server.CertificateFingerprint);
        handler.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate;
        using var http = new HttpClient(handler) { BaseAddress = new Uri(Server.Url) };
        var body = await http.GetFromJsonAsync<JsonElement>(EmsApiRoutes.Format(EmsApiRoutes.Token, ("uid", uid)) + query);
        return (body.GetProperty("token").GetString()!, certificate.RawData);
    }

    /// <summary>Enrolls <paramref name="uid"/> as a device does (its own key, a CSR, an invitation code); returns its certificate with the key.</summary>
    public async Task<X509Certificate2> EnrollAsync(string uid)
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var csr = new CertificateRequest(
            PostureGate.Ems.Enrollment.EndpointCertificateName.SubjectOf(uid), key, System.Security.Cryptography.HashAlgorithmName.SHA256).CreateSigningRequestPem();
        using var anonymous = new HttpClient(PostureGate.Ems.Tls.EmsCertificatePinning.CreateHandler(Server.CertificateFingerprint)) { BaseAddress = new Uri(Server.Url) };
        var enrolled = await anonymous.PostAsJsonAsync(EmsApiRoutes.Enroll, new { uid, csr, invite = Server.Store.CreateInvite(1, null).Code });
        enrolled.EnsureSuccessStatusCode();
        var pem = (await enrolled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("certificate").GetString();
        using var issued = X509Certificate2.CreateFromPem(pem);
        return issued.CopyWithPrivateKey(key);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.StopAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
