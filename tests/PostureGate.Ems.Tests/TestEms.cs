using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using PostureGate.Ems.Tls;

namespace PostureGate.Ems.Tests;

/// <summary>A real EMS on 127.0.0.1 (free port) over a temporary data directory, and clients
/// that pin its certificate fingerprint.</summary>
internal sealed class TestEms : IAsyncDisposable
{
    private TestEms(TempDirectory data, EmsServer server)
    {
        Data = data;
        Server = server;
        Client = NewClient(null);
        Gateway = NewClient(server.ApiKey);
        Admin = NewClient(server.AdminApiKey);
    }

    public TempDirectory Data { get; }
    public EmsServer Server { get; private set; }
    public HttpClient Client { get; private set; }
    public HttpClient Gateway { get; private set; }
    public HttpClient Admin { get; private set; }

    public static async Task<TestEms> StartAsync(TempDirectory? data = null)
    {
        data ??= new TempDirectory();
        var server = await EmsServer.StartAsync(Options(data.Path));
        return new TestEms(data, server);
    }

    public static EmsOptions Options(string path) => new()
    {
        DataDirectory = path,
        Listen = "https://127.0.0.1:0",
        ChangePollInterval = TimeSpan.FromMilliseconds(100),
        ConfigureLogging = _ => { },
    };

    public HttpClient NewClient(string? apiKey)
    {
        var client = new HttpClient(EmsCertificatePinning.CreateHandler(Server.CertificateFingerprint))
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
        Gateway = NewClient(Server.ApiKey);
        Admin = NewClient(Server.AdminApiKey);
    }

    public async Task<JsonElement> RegisterAsync(string uid, object? facts = null, string ip = "10.160.1.197", string host = "DESKTOP-EMS-TAG-PH2")
    {
        var response = await Client.PostAsJsonAsync(EmsApiRoutes.Register, new Dictionary<string, object?>
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
