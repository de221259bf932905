// The gateway's admin listener: HTTPS on Kestrel at the endpoints of `config system global`
// admin-sport (Admin/AdminEndpoints.cs), presenting Admin/AdminCertificate.cs. It serves
//   1. /metrics: the gateway's meters in Prometheus's text format (OpenTelemetry's exporter),
//   2. the web console, when one is wired in (the configure hooks),
// and nothing else. Off unless admin-sport is set; restarted when a reload changes where it listens.
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace PostureGate.Gateway.Admin;

/// <summary>What the listener needs: where, which certificate (null: the generated one in <see cref="DataDirectory"/>), which meters.</summary>
public sealed record AdminListenerSettings(IReadOnlyList<IPEndPoint> Endpoints, Config.Model.LocalCertificate? Certificate, string DataDirectory,
    IReadOnlyList<string> Meters)
{
    /// <summary>Adds the console's services (a hook for the web console; null: /metrics only).</summary>
    public Action<WebApplicationBuilder>? ConfigureServices { get; init; }
    /// <summary>Maps the console's pages after /metrics.</summary>
    public Action<WebApplication>? MapEndpoints { get; init; }
}

public sealed class AdminListener : IAsyncDisposable
{
    // Requests are small forms and page loads; the wizard's configuration is the largest body.
    private const long MaxRequestBodyBytes = 256 * 1024;

    private readonly WebApplication _app;
    private readonly X509Certificate2 _certificate;

    private AdminListener(WebApplication app, X509Certificate2 certificate, IReadOnlyList<string> urls)
    {
        _app = app;
        _certificate = certificate;
        Urls = urls;
        Fingerprint = AdminCertificate.Fingerprint(certificate);
    }

    /// <summary>https://ADDR:PORT/ of each endpoint.</summary>
    public IReadOnlyList<string> Urls { get; }

    /// <summary>The SHA-256 fingerprint of the certificate presented.</summary>
    public string Fingerprint { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Listens; throws <see cref="Composition.GatewayStartException"/> (one line) when it cannot.</summary>
    public static async Task<AdminListener> StartAsync(AdminListenerSettings settings, ILoggerFactory loggers, CancellationToken ct)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = AdminCertificate.Open(settings.Certificate, settings.DataDirectory, settings.Endpoints.Select(e => e.Address));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new Composition.GatewayStartException($"admin console: cannot open its certificate: {e.Message}");
        }
        WebApplication? app = null;
        try
        {
            app = Build(settings, certificate, loggers);
            await app.StartAsync(ct).ConfigureAwait(false);
            // The bound addresses (a port of 0 in tests is the one the kernel chose).
            var urls = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
                .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses
                .Select(a => a.EndsWith('/') ? a : a + "/").ToArray();
            return new AdminListener(app, certificate, urls);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            if (app is not null)
                await app.DisposeAsync().ConfigureAwait(false);
            certificate.Dispose();
            // Kestrel reports a taken port as IOException wrapping the socket's reason.
            var reason = e.InnerException is System.Net.Sockets.SocketException s ? s.Message : e.Message;
            throw new Composition.GatewayStartException(
                $"admin console: cannot listen on {string.Join(", ", settings.Endpoints)}: {reason} (config system global admin-sport)");
        }
    }

    private static WebApplication Build(AdminListenerSettings settings, X509Certificate2 certificate, ILoggerFactory loggers)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = "PostureGate.Gateway",
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Production",
        });
        builder.Logging.ClearProviders().AddProvider(new GatewayLoggers(loggers));
        // Kestrel's own chatter (each TLS handshake a scanner breaks off) stays below the gateway's lines.
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning).AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None)
            // It warns on every console page that it set no-store, which the console sets anyway.
            .AddFilter("Microsoft.AspNetCore.Antiforgery", LogLevel.Error);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            foreach (var endpoint in settings.Endpoints)
                kestrel.Listen(endpoint, listen => listen.UseHttps(new HttpsConnectionAdapterOptions { ServerCertificate = certificate }));
        });
        builder.Services.AddSingleton<IHostLifetime, GatewayOwnsSignals>();
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("pgate-gateway"))
            .WithMetrics(m => m.AddMeter([.. settings.Meters]).AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        settings.ConfigureServices?.Invoke(builder);
        var app = builder.Build();
        app.MapPrometheusScrapingEndpoint("/metrics");
        settings.MapEndpoints?.Invoke(app);
        return app;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _certificate.Dispose();
    }

    // The web host's lines go to the gateway's loggers (its console format, --verbose), filtered here first.
    private sealed class GatewayLoggers(ILoggerFactory loggers) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => loggers.CreateLogger(categoryName);

        public void Dispose()
        {
        }
    }

    // `pgate gateway` handles SIGTERM/SIGHUP itself; the web host must not stop on them by its own.
    private sealed class GatewayOwnsSignals : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
