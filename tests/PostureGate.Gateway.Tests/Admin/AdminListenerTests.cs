// The gateway's admin listener, started by the host from `config system global` admin-sport:
// /metrics over HTTPS with the generated certificate (made once, owner-only, the same on the next
// start), off without admin-sport, stopped by a reload that removes admin-sport.
using System.Net;
using System.Net.Http;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using PostureGate.Config;
using PostureGate.Gateway.Admin;
using PostureGate.Gateway.Composition;

namespace PostureGate.Gateway.Tests.Admin;

public sealed class AdminListenerTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("pg-gw-admin");

    public void Dispose() => _dir.Delete(recursive: true);

    private static string Config(string global) => global + Composition.MinimalDialup.Config;

    private const string ConsoleOn = "config system global\n    set admin-sport 10443\nend\n";

    private static Config.Model.GatewayConfig Load(string text)
    {
        var r = ConfigLoader.Parse(text, "gw.conf");
        Assert.True(r.Config is not null, string.Join('\n', r.Diagnostics));
        return r.Config!;
    }

    private Task<GatewayHost> StartAsync(string text) => GatewayHost.StartAsync(Load(text), new GatewayHostOptions
    {
        ControlPath = Path.Combine(_dir.FullName, $"gw{Guid.NewGuid():N}.sock"),
        DataPlane = DataPlaneMode.Off,
        ListenAddress = IPAddress.Loopback,
        IkePort = 0,
        NatTPort = 0,
        AdminPort = 0,
        DataDirectory = _dir.FullName,
    }, NullLoggerFactory.Instance);

    // Trusts exactly the certificate whose fingerprint the gateway logged, as an admin would.
    private static HttpClient Pinned(string fingerprint) => new(new HttpClientHandler
    {
        ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert is not null && AdminCertificate.Fingerprint(cert) == fingerprint,
    });

    [Fact]
    public async Task MetricsAreServedOverHttpsWithTheGeneratedCertificate()
    {
        await using var host = await StartAsync(ConsoleOn + Config(""));
        var url = Assert.Single(host.AdminUrls);
        Assert.StartsWith("https://127.0.0.1:", url, StringComparison.Ordinal);
        using var client = Pinned(host.AdminFingerprint!);
        var text = await client.GetStringAsync(url + "metrics");
        Assert.Contains("pgate_ike_sa_active", text, StringComparison.Ordinal);

        var pfx = Path.Combine(_dir.FullName, AdminCertificate.FileName);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(pfx));
    }

    [Fact]
    public async Task TheGeneratedCertificateIsKeptAcrossStarts()
    {
        string first;
        await using (var host = await StartAsync(ConsoleOn + Config("")))
            first = host.AdminFingerprint!;
        await using var again = await StartAsync(ConsoleOn + Config(""));
        Assert.Equal(first, again.AdminFingerprint);
    }

    [Fact]
    public async Task WithoutAdminSportThereIsNoListenerAndNoCertificateIsMade()
    {
        await using var host = await StartAsync(Config(""));
        Assert.Empty(host.AdminUrls);
        Assert.Null(host.AdminFingerprint);
        Assert.False(File.Exists(Path.Combine(_dir.FullName, AdminCertificate.FileName)));
    }

    [Fact]
    public async Task AReloadWithoutAdminSportStopsTheListener()
    {
        await using var host = await StartAsync(ConsoleOn + Config(""));
        var url = Assert.Single(host.AdminUrls);
        using var client = Pinned(host.AdminFingerprint!);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(url + "metrics")).StatusCode);

        await host.ReloadAsync(Load(Config("")), CancellationToken.None);
        Assert.Empty(host.AdminUrls);
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(url + "metrics"));
    }

    [Fact]
    public async Task AReloadThatKeepsTheConsoleKeepsTheListener()
    {
        await using var host = await StartAsync(ConsoleOn + Config(""));
        var url = Assert.Single(host.AdminUrls);
        await host.ReloadAsync(Load(ConsoleOn + Config("")), CancellationToken.None);
        Assert.Equal(url, Assert.Single(host.AdminUrls));
    }
}
