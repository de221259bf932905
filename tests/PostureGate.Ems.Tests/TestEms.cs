using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PostureGate.Ems.Tls;

namespace PostureGate.Ems.Tests;

/// <summary>A real EMS on 127.0.0.1 (free port) over a temporary data directory, and clients
/// that pin its certificate fingerprint; endpoints enroll (invitation + CSR) and then call the
/// client API with their certificate.</summary>
internal sealed class TestEms : IAsyncDisposable
{
    private readonly Dictionary<string, HttpClient> _endpoints = new(StringComparer.OrdinalIgnoreCase);

    private TestEms(TempDirectory data, EmsServer server)
    {
        Data = data;
        Server = server;
        GatewayKey = server.ApiKey!;
        AdminKey = server.AdminApiKey!;
        Client = NewClient(null);
        Gateway = NewClient(GatewayKey);
        Admin = NewClient(AdminKey);
    }

    /// <summary>The keys the first start showed (later starts show none).</summary>
    public string GatewayKey { get; }
    public string AdminKey { get; }

    public TempDirectory Data { get; }
    public EmsServer Server { get; private set; }
    public HttpClient Client { get; private set; }
    public HttpClient Gateway { get; private set; }
    public HttpClient Admin { get; private set; }

    public static async Task<TestEms> StartAsync(TempDirectory? data = null, TimeProvider? time = null, string? database = null, bool metrics = false,
        ILoggerProvider? log = null)
    {
        data ??= new TempDirectory();
        var options = Options(data.Path, time, database);
        options.Metrics = metrics;
        if (log is not null)
            options.ConfigureLogging = b => b.AddProvider(log).SetMinimumLevel(LogLevel.Trace);
        var server = await EmsServer.StartAsync(options);
        return new TestEms(data, server);
    }

    public static EmsOptions Options(string path, TimeProvider? time = null, string? database = null, string? keyFile = null) => new()
    {
        DataDirectory = path,
        Database = database,
        KeyFile = keyFile,
        Time = time ?? TimeProvider.System,
        Listen = "https://127.0.0.1:0",
        ChangePollInterval = TimeSpan.FromMilliseconds(100),
        ConfigureLogging = _ => { },
    };

    public HttpClient NewClient(string? apiKey, X509Certificate2? clientCertificate = null)
    {
        var handler = EmsCertificatePinning.CreateHandler(Server.CertificateFingerprint);
        if (clientCertificate is not null)
            handler.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate;
        var client = new HttpClient(handler)
        {
            BaseAddress = new Uri(Server.Url),
        };
        if (apiKey is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    /// <summary>Stops gracefully and starts a new server over the same data directory.</summary>
    public async Task RestartAsync()
    {
        await StopClientsAndServerAsync();
        Server = await EmsServer.StartAsync(Options(Data.Path));
        Client = NewClient(null);
        Gateway = NewClient(GatewayKey);
        Admin = NewClient(AdminKey);
        foreach (var uid in _endpoints.Keys.ToList())
        {
            var old = _endpoints[uid];
            old.Dispose();
            _endpoints[uid] = NewClient(null, Certificates[uid]);
        }
    }

    /// <summary>Each enrolled endpoint's certificate, with its private key.</summary>
    public Dictionary<string, X509Certificate2> Certificates { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A new P-256 key and a CSR naming <paramref name="csrUid"/> (default: <paramref name="uid"/>).</summary>
    public static (ECDsa Key, string Csr) NewCsr(string uid)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(Enrollment.EndpointCertificateName.SubjectOf(uid.ToUpperInvariant()), key, HashAlgorithmName.SHA256);
        return (key, request.CreateSigningRequestPem());
    }

    /// <summary>POST /api/v1/enroll; the raw answer.</summary>
    public Task<HttpResponseMessage> PostEnrollAsync(string uid, string csr, string? invite) =>
        Client.PostAsJsonAsync(EmsApiRoutes.Enroll, new Dictionary<string, string?> { ["uid"] = uid, ["csr"] = csr, ["invite"] = invite });

    /// <summary>A fresh one-use invitation code.</summary>
    public string NewInvite(int uses = 1, TimeSpan? lifetime = null)
    {
        var (result, code) = Server.Store.CreateInvite(uses, lifetime);
        Assert.True(result.Succeeded, result.Detail);
        return code!;
    }

    /// <summary>Enrolls <paramref name="uid"/> with a new invitation; returns its certificate (with key).</summary>
    public async Task<X509Certificate2> EnrollAsync(string uid)
    {
        var (key, csr) = NewCsr(uid);
        var response = await PostEnrollAsync(uid, csr, NewInvite());
        await EnsureSuccess(response);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        using var issued = X509Certificate2.CreateFromPem(body.GetProperty("certificate").GetString());
        var certificate = issued.CopyWithPrivateKey(key);
        Certificates[uid] = certificate;
        _endpoints[uid] = NewClient(null, certificate);
        return certificate;
    }

    /// <summary>The client-API client of an enrolled endpoint (its certificate presented).</summary>
    public HttpClient EndpointClient(string uid) => _endpoints[uid];

    /// <summary>Enrolls (when not yet) and registers with facts over mutual TLS.</summary>
    public async Task<JsonElement> RegisterAsync(string uid, object? facts = null, string ip = "10.160.1.197", string host = "DESKTOP-EMS-TAG-PH2")
    {
        if (!_endpoints.ContainsKey(uid))
            await EnrollAsync(uid);
        var response = await EndpointClient(uid).PostAsJsonAsync(EmsApiRoutes.Register, new Dictionary<string, object?>
        {
            ["uid"] = uid,
            ["host"] = host,
            ["user"] = "tester",
            ["os"] = "Microsoft Windows 8.0 , 64-bit (build 9200)",
            ["fct_version"] = "7.4.5.1949",
            ["ip"] = ip,
            ["macs"] = new[] { "00-0c-29-2c-4d-d7", "00-0c-29-2c-4d-e1" },
            ["facts"] = facts ?? new { },
        });
        await EnsureSuccess(response);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task EnsureSuccess(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
            throw new Xunit.Sdk.XunitException($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    public async ValueTask DisposeAsync()
    {
        await StopClientsAndServerAsync();
        Data.Dispose();
    }

    private async Task StopClientsAndServerAsync()
    {
        Client.Dispose();
        Gateway.Dispose();
        Admin.Dispose();
        foreach (var client in _endpoints.Values)
            client.Dispose();
        await Server.StopAsync();
    }
}

internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "pg-ems-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
