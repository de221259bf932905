// `pgate gateway --config FILE [--control PATH]`: the IKEv2 dial-up gateway in
// the foreground. SIGTERM/SIGINT stop it cleanly (every SA deleted, TUN devices
// and NAT rules removed); SIGHUP reloads the configuration, refusing a bad file
// with its errors and keeping the running one.
using System.CommandLine;
using System.Net;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using PostureGate.Config;
using PostureGate.Config.Model;
using PostureGate.Gateway.Composition;
using PostureGate.Gateway.Diagnose;
using PostureGate.Ike.Sa;

namespace PostureGate.Gateway;

public static class GatewayCommand
{
    /// <summary>Lets other roles (the posture gate) plug into a starting gateway.</summary>
    public delegate ValueTask<GatewayHooks> HookFactory(GatewayConfig config, ILoggerFactory loggers, CancellationToken ct);

    public sealed record GatewayHooks(IPostAuthenticationHook? PostAuthentication, IGatewayMatchHook? GatewayMatch, Action<GatewayHost>? Attach = null, IAsyncDisposable? Owned = null);

    public static Command Create(HookFactory? hooks = null)
    {
        var config = new Option<FileInfo>("--config", "-c") { Description = "the FortiOS-style configuration file", Required = true };
        var control = DiagnoseCommand.ControlOption();
        var dataPlane = new Option<DataPlaneMode>("--data-plane")
        {
            Description = "auto: ESP over TUN when running as root, else control plane only; on: require it; off: control plane only",
            DefaultValueFactory = _ => DataPlaneMode.Auto,
        };
        var listen = new Option<string?>("--listen") { Description = "listen on this address instead of the phase1 interfaces' addresses" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "debug-level logging" };
        var cmd = new Command("gateway", "Run the IKEv2 dial-up gateway in the foreground") { config, control, dataPlane, listen, verbose };
        cmd.SetAction(async (parse, ct) =>
        {
            IPAddress? listenAddress = null;
            if (parse.GetValue(listen) is { } l && !IPAddress.TryParse(l, out listenAddress))
            {
                await Console.Error.WriteLineAsync($"pgate gateway: --listen {l}: not an IP address").ConfigureAwait(false);
                return 2;
            }
            var options = new GatewayHostOptions
            {
                ControlPath = parse.GetValue(control)!,
                DataPlane = parse.GetValue(dataPlane),
                ListenAddress = listenAddress,
            };
            return await RunAsync(parse.GetValue(config)!.FullName, options, parse.GetValue(verbose), hooks, ct).ConfigureAwait(false);
        });
        return cmd;
    }

    public static ILoggerFactory CreateLoggers(bool verbose) => LoggerFactory.Create(b =>
    {
        b.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        b.SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Information);
    });

    /// <summary>Loads the file; prints every diagnostic; null when it has errors.</summary>
    public static GatewayConfig? LoadOrReport(string path, TextWriter err)
    {
        var result = ConfigLoader.Load(path);
        foreach (var d in result.Diagnostics)
            err.WriteLine(d.ToString());
        return result.Config;
    }

    public static async Task<int> RunAsync(string path, GatewayHostOptions options, bool verbose, HookFactory? hooks, CancellationToken ct)
    {
        var config = LoadOrReport(path, Console.Error);
        if (config is null)
        {
            await Console.Error.WriteLineAsync($"pgate gateway: {path} has errors; not starting").ConfigureAwait(false);
            return 1;
        }
        using var loggers = CreateLoggers(verbose);
        var log = loggers.CreateLogger("PostureGate.Gateway");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        GatewayHooks? h = hooks is null ? null : await hooks(config, loggers, stop.Token).ConfigureAwait(false);
        GatewayHost host;
        try
        {
            host = await GatewayHost.StartAsync(config, options, loggers, h?.PostAuthentication, h?.GatewayMatch, stop.Token).ConfigureAwait(false);
        }
        catch (GatewayStartException ex)
        {
            await Console.Error.WriteLineAsync("pgate gateway: " + ex.Message).ConfigureAwait(false);
            if (h?.Owned is { } owned)
                await owned.DisposeAsync().ConfigureAwait(false);
            return 1;
        }
        h?.Attach?.Invoke(host);
        log.LogInformation("listening on {Endpoints}; control socket {Control}; data plane {Mode}",
            string.Join(", ", host.IkeEndpoints), host.ControlPath,
            host.DataPlaneActive ? "active (ESP over TUN)" : "off (control plane only; the data plane needs root)");

        var reload = new SemaphoreSlim(0);
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        using var intr = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        using var hup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, c => { c.Cancel = true; reload.Release(); });
        try
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await reload.WaitAsync(stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                var next = LoadOrReport(path, Console.Error);
                if (next is null)
                {
                    log.LogError("reload refused: {File} has errors; the running configuration stays", path);
                    continue;
                }
                await host.ReloadAsync(next, stop.Token).ConfigureAwait(false);
            }
        }
        finally
        {
            log.LogInformation("stopping: deleting SAs");
            await host.DisposeAsync().ConfigureAwait(false);
            if (h?.Owned is { } owned)
                await owned.DisposeAsync().ConfigureAwait(false);
        }
        return 0;
    }
}
