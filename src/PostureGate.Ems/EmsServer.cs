// A running EMS: the store, the key ring and the HTTPS API on Kestrel.
//   1. EmsStore.Open: data directory, migrations, identity (serial, tenant); API keys made
//      when missing (shown once: ApiKey/AdminApiKey hold them only on that start).
//   2. SigningKeyRing.Open: token-signing keys (first one made here).
//   3. ServerCertificate.LoadOrCreate: the self-signed TLS certificate gateways pin.
//   4. EndpointCertificateAuthority.LoadOrCreate: the CA that signs endpoint certificates.
//   5. Kestrel on the listen address asking for client certificates (mutual TLS for the client
//      API), minimal-API routes (enrollment, client, gateway, admin), OpenAPI.
//   6. The web console under /console (EmsOptions.Console): the first admin account is made here.
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using PostureGate.Ems.Api;
using PostureGate.Ems.Enrollment;
using PostureGate.Ems.Storage;
using PostureGate.Ems.Tls;
using PostureGate.Ems.Tokens;

namespace PostureGate.Ems;

public sealed class EmsServer : IAsyncDisposable
{
    public const long MaxRequestBodyBytes = 1024 * 1024;

    private readonly WebApplication _app;
    private readonly SigningKeyRing _keys;
    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2 _certificate;
    private readonly EndpointCertificateAuthority _endpointCa;
    private readonly CancellationTokenSource _sweepStop = new();
    private readonly Task _sweep;
    private int _stopped;

    private EmsServer(WebApplication app, EmsStore store, SigningKeyRing keys,
        System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, EndpointCertificateAuthority endpointCa,
        IReadOnlyDictionary<ApiKeyKind, string> newKeys, string url, string? consoleAdminFile)
    {
        ConsoleAdminFile = consoleAdminFile;
        _app = app;
        Store = store;
        _keys = keys;
        _certificate = certificate;
        _endpointCa = endpointCa;
        ApiKey = newKeys.GetValueOrDefault(ApiKeyKind.Gateway);
        AdminApiKey = newKeys.GetValueOrDefault(ApiKeyKind.Admin);
        Url = url;
        CertificateFingerprint = Tls.CertificateFingerprint.Of(certificate);
        _sweep = SweepOfflineAsync(store, _sweepStop.Token);
    }

    /// <summary>The base URL actually listened on, e.g. https://127.0.0.1:8013.</summary>
    public string Url { get; }

    /// <summary>SHA-256 of the TLS certificate, AA:BB:… (the gateway's `certificate-fingerprint`).</summary>
    public string CertificateFingerprint { get; }

    /// <summary>The gateway API key, when this start made it (the first); null otherwise —
    /// only its digest is stored (`pgate ems apikey rotate gateway` makes a new one).</summary>
    public string? ApiKey { get; }

    /// <summary>The file holding the first console admin's password, when this start made that account; null otherwise.</summary>
    public string? ConsoleAdminFile { get; }

    /// <summary>The console's address, or null when it is off.</summary>
    public string? ConsoleUrl => _app.Services.GetService<PostureGate.Web.ConsoleOptions>() is null ? null : Url + PostureGate.Web.ConsolePaths.Home;

    /// <summary>The admin API key, when this start made it; null otherwise.</summary>
    public string? AdminApiKey { get; }

    /// <summary>The CA that signs endpoint certificates (its PEM is in the data directory too).</summary>
    public string EndpointCaPem => _endpointCa.CertificatePem;

    public string SerialNumber => Store.SerialNumber;

    public string TenantId => Store.TenantId;

    public EmsStore Store { get; }

    public static async Task<EmsServer> StartAsync(EmsOptions options, CancellationToken cancellationToken = default)
    {
        var (address, port) = ParseListen(options.Listen);
        var store = EmsStore.Open(options.DataDirectory, options.Time, options.OnlineWindow, options.SerialNumber, options.Database, options.KeyFile);
        SigningKeyRing? keys = null;
        System.Security.Cryptography.X509Certificates.X509Certificate2? certificate = null;
        EndpointCertificateAuthority? endpointCa = null;
        WebApplication? app = null;
        try
        {
            if (options.EndpointCertificateLifetime < TimeSpan.FromMinutes(10) || options.EndpointCertificateLifetime > TimeSpan.FromDays(3650))
                throw new ArgumentException("the endpoint certificate lifetime must be between 10 minutes and 10 years");
            if (options.EndpointCertificateBackdate is { } backdate
                && (backdate <= TimeSpan.Zero || backdate > EmsOptions.MaxEndpointCertificateBackdate || backdate > options.EndpointCertificateLifetime / 2))
                throw new ArgumentException("the endpoint certificate backdate must be between 1 second and 7 days, and at most half the certificate lifetime");
            store.CertificateBackdate = options.EffectiveEndpointCertificateBackdate;
            keys = SigningKeyRing.Open(store);
            certificate = ServerCertificate.LoadOrCreate(store.DataDirectory, options.CertificateNames);
            endpointCa = EndpointCertificateAuthority.LoadOrCreate(store);
            var context = new EmsContext(store, keys, endpointCa, options.EndpointCertificateLifetime,
                Tls.CertificateFingerprint.Of(certificate), options.ChangePollInterval);
            app = Build(options, context, certificate, address, port);
            await app.StartAsync(cancellationToken);
            var newKeys = store.CreateMissingApiKeys();
            var consoleAdminFile = options.Console ? WebConsole.FirstAdmin.EnsureExists(store) : null;
            var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new EmsServer(app, store, keys, certificate, endpointCa, newKeys, url.TrimEnd('/'), consoleAdminFile);
        }
        catch
        {
            if (app is not null)
                await app.DisposeAsync();
            keys?.Dispose();
            certificate?.Dispose();
            endpointCa?.Dispose();
            store.Dispose();
            throw;
        }
    }

    /// <summary>Stops accepting, ends change streams, waits for requests in flight, closes files.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
            return;
        await _sweepStop.CancelAsync();
        await _sweep;
        _sweepStop.Dispose();
        await _app.StopAsync(cancellationToken);
        await _app.DisposeAsync();
        _keys.Dispose();
        _certificate.Dispose();
        _endpointCa.Dispose();
        Store.Dispose();
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    /// <summary>Logs endpoints going offline and prunes the change log, a few times per online window (at most every 30 s).</summary>
    private static async Task SweepOfflineAsync(EmsStore store, CancellationToken cancellationToken)
    {
        var period = TimeSpan.FromTicks(Math.Clamp(store.OnlineWindow.Ticks / 4, TimeSpan.FromSeconds(1).Ticks, TimeSpan.FromSeconds(30).Ticks));
        using var timer = new PeriodicTimer(period, store.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    store.SweepOffline();
                    store.PruneChanges();
                }
                catch (System.Data.Common.DbException)
                {
                    // Busy beyond the timeout (a long CLI transaction): the next tick retries.
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Completes when the host is stopping (e.g. on SIGTERM when run by the CLI).</summary>
    public CancellationToken Stopping => _app.Lifetime.ApplicationStopping;

    private static WebApplication Build(EmsOptions options, EmsContext context,
        System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, IPAddress? address, int port)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = "PostureGate.Ems",
            ContentRootPath = context.Store.DataDirectory,
            EnvironmentName = "Production",
        });
        builder.Logging.ClearProviders();
        if (options.ConfigureLogging is { } configure)
            configure(builder.Logging);
        else
            (options.JsonLogs
                    ? builder.Logging.AddJsonConsole(o =>
                    {
                        // The schema of `pgate gateway --log-format json` (docs/observability.md).
                        o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fffzzz";
                        o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
                    })
                    : builder.Logging.AddSimpleConsole()).SetMinimumLevel(LogLevel.Warning)
                // A failed start (port in use) is rethrown to the caller, which prints it as one line; the host would add its stack trace.
                .AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            // Client certificates are asked for, not required (gateways and admins use API keys),
            // and any is let through here: ClientCertificateGate judges them with a reason.
            void Https(Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions listen) => listen.UseHttps(new Microsoft.AspNetCore.Server.Kestrel.Https.HttpsConnectionAdapterOptions
            {
                ServerCertificate = certificate,
                ClientCertificateMode = Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode.AllowCertificate,
                ClientCertificateValidation = (_, _, _) => true,
            });
            if (address is null)
                kestrel.ListenLocalhost(port, Https);
            else
                kestrel.Listen(address, port, Https);
        });
        builder.Services.AddSingleton(context);
        // The EMS's meter always counts; `--metrics` exports it at /metrics (docs/observability.md).
        builder.Services.AddSingleton(_ => new EmsMetrics(context.Store));
        if (options.Metrics)
            builder.Services.AddOpenTelemetry()
                .ConfigureResource(r => r.AddService("pgate-ems"))
                .WithMetrics(m => m.AddMeter(EmsMetrics.MeterName).AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        builder.Services.AddRateLimiter(limiter => RequestRateLimits.Configure(limiter, options));
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, EmbeddedLifetime>();
        builder.Services.AddProblemDetails();
        if (options.Console)
            WebConsole.EmsConsole.AddServices(builder.Services, context.Store, options);
        builder.Services.AddExceptionHandler<Api.StorageFullHandler>();
        builder.Services.AddOpenApi(OpenApiSecurity.Configure);
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        });

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // Outside the rate limiter, so refused requests are counted too; the route is known once the request is answered.
        app.Use(app.Services.GetRequiredService<EmsMetrics>().InvokeAsync);
        // Before anything costly (routing, certificate checks, the database): a flood is refused cheaply.
        app.UseRateLimiter();
        app.UseRouting();
        app.Use(ClientCertificateGate.InvokeAsync);
        if (options.Console)
            WebConsole.EmsConsole.Use(app);
        var gatewayKeys = new ApiKeyFilter(context.Store, adminOnly: false);
        var adminKeys = new ApiKeyFilter(context.Store, adminOnly: true);
        EnrollmentApi.Map(app);
        ClientApi.Map(app);
        GatewayApi.Map(app, gatewayKeys);
        AdminApi.Map(app, adminKeys);
        app.MapOpenApi(EmsApiRoutes.OpenApi);
        if (options.Metrics)
            app.MapPrometheusScrapingEndpoint("/metrics");
        if (options.Console)
            WebConsole.EmsConsole.Map(app);
        return app;
    }

    /// <summary>https://ADDRESS:PORT → the address (null for localhost) and port.</summary>
    internal static (IPAddress? Address, int Port) ParseListen(string listen)
    {
        var text = listen.Replace("://*:", "://0.0.0.0:", StringComparison.Ordinal).Replace("://+:", "://0.0.0.0:", StringComparison.Ordinal);
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps
            || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.UserInfo.Length > 0)
            throw new ArgumentException($"listen address '{listen}' must look like https://127.0.0.1:8013");
        if (uri.Host == "localhost")
        {
            if (uri.Port == 0)
                throw new ArgumentException("localhost needs a fixed port; use https://127.0.0.1:0 for a free one");
            return (null, uri.Port);
        }
        if (!IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address))
            throw new ArgumentException($"listen address '{listen}': the host must be an IP address, localhost or *");
        return (address, uri.Port);
    }
}
