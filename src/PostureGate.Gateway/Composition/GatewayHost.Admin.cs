// The admin listener's place in the gateway's life: started with the metrics, before IKE listens;
// restarted when a reload changes admin-sport, admin-server-cert or the interfaces allowed https;
// stopped with the rest. See Admin/AdminListener.cs and docs/console.md.
using Microsoft.Extensions.Logging;
using PostureGate.Config.Host;
using PostureGate.Config.Model;
using PostureGate.Gateway.Admin;
using PostureGate.Gateway.Metrics;

namespace PostureGate.Gateway.Composition;

public sealed partial class GatewayHost
{
    private AdminListener? _admin;
    private AdminListenerSettings? _adminSettings;

    /// <summary>The console's https://ADDR:PORT/ URLs; empty when admin-sport is not set.</summary>
    public IReadOnlyList<string> AdminUrls => _admin?.Urls ?? [];

    /// <summary>Where the console keeps its certificate and accounts (`--data`).</summary>
    public string DataDirectory => _options.DataDirectory;

    /// <summary>The SHA-256 fingerprint of the certificate the console presents; null when off.</summary>
    public string? AdminFingerprint => _admin?.Fingerprint;

    private AdminListenerSettings? AdminSettingsFor(GatewayConfig config)
    {
        var endpoints = _options.AdminListen is { } forced ? [forced] : AdminEndpoints.Of(config, new LinuxHostInterfaceSource(), _options.AdminPort);
        if (endpoints.Count == 0)
            return null;
        return new AdminListenerSettings(endpoints, config.Global.AdminServerCert, _options.DataDirectory, PrometheusListener.GatewayMeters)
        {
            ConfigureServices = _options.AdminConsole is { } console ? b => console.ConfigureServices(b, this) : null,
            MapEndpoints = _options.AdminConsole is { } pages ? a => pages.MapEndpoints(a) : null,
        };
    }

    private async Task StartAdminAsync(CancellationToken ct)
    {
        if (Config.Global.AdminConsole && AdminSettingsFor(Config) is null)
            _log.LogWarning("admin console: no interface with 'allowaccess https' has an address on this host; not listening");
        _adminSettings = AdminSettingsFor(Config);
        if (_adminSettings is null)
            return;
        try
        {
            _admin = await AdminListener.StartAsync(_adminSettings, _loggers, ct).ConfigureAwait(false);
        }
        catch (GatewayStartException) when (_options.AdminListen is { Port: > 0 } wanted)
        {
            // `pgate up` beside another one: any free port beats no console.
            _adminSettings = _adminSettings with { Endpoints = [new System.Net.IPEndPoint(wanted.Address, 0)] };
            _admin = await AdminListener.StartAsync(_adminSettings, _loggers, ct).ConfigureAwait(false);
        }
        _log.LogInformation("admin console: {Urls} (certificate SHA-256 {Fingerprint})", string.Join(", ", _admin.Urls), _admin.Fingerprint);
    }

    // A reload that leaves the listener's settings alone keeps it (and its signed-in sessions) running.
    private async Task ReloadAdminAsync(GatewayConfig config, CancellationToken ct)
    {
        // `pgate up` fixes the console's endpoint on its command line: the file does not move it.
        if (_options.AdminListen is not null && _admin is not null)
            return;
        var next = AdminSettingsFor(config);
        if (SameListener(_adminSettings, next))
            return;
        if (_admin is not null)
        {
            await _admin.DisposeAsync().ConfigureAwait(false);
            _admin = null;
            _log.LogInformation("admin console: stopped");
        }
        _adminSettings = next;
        if (next is null)
            return;
        try
        {
            _admin = await AdminListener.StartAsync(next, _loggers, ct).ConfigureAwait(false);
            _log.LogInformation("admin console: {Urls} (certificate SHA-256 {Fingerprint})", string.Join(", ", _admin.Urls), _admin.Fingerprint);
        }
        catch (GatewayStartException e)
        {
            _adminSettings = null;
            _log.LogError("{Error}", e.Message);
        }
    }

    private static bool SameListener(AdminListenerSettings? a, AdminListenerSettings? b) =>
        a is null || b is null ? a is null && b is null
        : a.Endpoints.SequenceEqual(b.Endpoints) && Equals(a.Certificate, b.Certificate);

    private async Task StopAdminAsync()
    {
        if (_admin is not null)
            await _admin.DisposeAsync().ConfigureAwait(false);
        _admin = null;
    }
}
