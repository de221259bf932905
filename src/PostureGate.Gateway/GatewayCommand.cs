// `pgate gateway --config FILE [--control PATH]`: the IKEv2 dial-up gateway in
// the foreground. SIGTERM/SIGINT stop it cleanly (every SA deleted, TUN devices
// and NAT rules removed); SIGHUP reloads the configuration, refusing a bad file
// with its errors and keeping the running one, and reopens the --audit-log file (log rotation).
using System.CommandLine;
using System.Net;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using PostureGate.Config;
using PostureGate.Config.Model;
using PostureGate.Config.Secrets;
using PostureGate.Gateway.Composition;
using PostureGate.Gateway.Diagnose;
using PostureGate.Gateway.Logging;
using PostureGate.Gateway.Metrics;
using PostureGate.Posture;

namespace PostureGate.Gateway;

public static class GatewayCommand
{
    public static Command Create()
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
        var countries = new Option<FileInfo?>("--country-db") { Description = "CSV of `cidr,country` lines for remote-gw-match geography" };
        var data = new Option<string>("--data")
        {
            Description = $"data directory holding {ConfigKeyFile.FileName}, the key that opens the configuration's ENC secrets, and the admin console's certificate and accounts",
            DefaultValueFactory = _ => ConfigKeyFile.DefaultDataDirectory,
        };
        var budget = new Option<int>("--posture-decision-budget")
        {
            Description = $"seconds the EMS may take for one posture decision before the client's ZTNA token decides (1-{PostureGateKeeper.MaxDecisionBudget.TotalSeconds:0}; the client has its answer at most 5 s later)",
            DefaultValueFactory = _ => (int)PostureGateKeeper.DefaultDecisionBudget.TotalSeconds,
        };
        var metrics = new Option<string?>("--metrics") { Description = "serve Prometheus metrics at http://ADDRESS:PORT/metrics (off by default; docs/observability.md)" };
        var wiresharkKeys = new Option<string?>("--wireshark-keys")
        {
            Description = "DEBUGGING ONLY: write every IKE and ESP key to Wireshark's ikev2_decryption_table and esp_sa files in DIR (0600); whoever reads them decrypts the traffic",
        };
        var clusterDb = new Option<string?>("--cluster-db")
        {
            Description = "join the gateway cluster in this PostgreSQL database (an Npgsql connection string; keep the password in a Passfile): shared address pools and session registry (docs/cluster.md)",
        };
        var nodeName = new Option<string?>("--node-name") { Description = "this gateway's name in the cluster, the host name when not given; two live nodes cannot share one" };
        var auditLog = AuditLogOption();
        var logFormat = Logging.LogFormatOption.Create();
        var cmd = new Command("gateway", "Run the IKEv2 dial-up gateway in the foreground")
        {
            config, control, dataPlane, listen, verbose, countries, data, budget, metrics, wiresharkKeys, clusterDb, nodeName, auditLog, logFormat,
        };
        cmd.Subcommands.Add(Admin.AdminAccountCommand.Create());
        cmd.Subcommands.Add(Control.DrainCommand.Create());
        cmd.SetAction(async (parse, ct) =>
        {
            IPAddress? listenAddress = null;
            if (parse.GetValue(listen) is { } l && !IPAddress.TryParse(l, out listenAddress))
            {
                await Console.Error.WriteLineAsync($"pgate gateway: --listen {l}: not an IP address").ConfigureAwait(false);
                return 2;
            }
            var seconds = parse.GetValue(budget);
            if (seconds < 1 || seconds > PostureGateKeeper.MaxDecisionBudget.TotalSeconds)
            {
                await Console.Error.WriteLineAsync($"pgate gateway: --posture-decision-budget {seconds}: must be 1-{PostureGateKeeper.MaxDecisionBudget.TotalSeconds:0} seconds").ConfigureAwait(false);
                return 2;
            }
            IPEndPoint? metricsListen = null;
            if (parse.GetValue(metrics) is { } m && !MetricsEndpoint.TryParse(m, out metricsListen))
            {
                await Console.Error.WriteLineAsync($"pgate gateway: --metrics {m}: not ADDRESS:PORT (e.g. 127.0.0.1:9464 or [::1]:9464)").ConfigureAwait(false);
                return 2;
            }
            var options = new GatewayHostOptions
            {
                MetricsListen = metricsListen,
                WiresharkKeysDirectory = parse.GetValue(wiresharkKeys),
                PostureDecisionBudget = TimeSpan.FromSeconds(seconds),
                DataDirectory = parse.GetValue(data)!,
                ControlPath = parse.GetValue(control)!,
                DataPlane = parse.GetValue(dataPlane),
                ListenAddress = listenAddress,
                // The PG_* tuning variables (docs/operations.md), read here at the edge only.
                DataPlaneTuning = PostureGate.Esp.DataPlaneTuning.FromVariables(Environment.GetEnvironmentVariable),
            };
            CountryDatabase? db = null;
            if (parse.GetValue(countries) is { } file)
            {
                db = CountryDatabase.Load(file.FullName, out var errors);
                foreach (var e in errors)
                    await Console.Error.WriteLineAsync($"{file.FullName}: {e}").ConfigureAwait(false);
                if (errors.Count > 0)
                    return 1;
            }
            Cluster.ClusterStore? cluster = null;
            if (parse.GetValue(clusterDb) is { } connection)
            {
                var node = parse.GetValue(nodeName) ?? Environment.MachineName;
                if (!Cluster.ClusterNodeName.IsValid(node))
                {
                    await Console.Error.WriteLineAsync($"pgate gateway: --node-name {node}: {Cluster.ClusterNodeName.Rule}").ConfigureAwait(false);
                    return 2;
                }
                try
                {
                    cluster = Cluster.ClusterStore.Create(connection, node, Cluster.ClusterNode.DefaultHeartbeat * 3);
                }
                catch (ArgumentException e)
                {
                    await Console.Error.WriteLineAsync("pgate gateway: " + e.Message).ConfigureAwait(false);
                    return 2;
                }
            }
            else if (parse.GetValue(nodeName) is not null)
            {
                await Console.Error.WriteLineAsync("pgate gateway: --node-name goes with --cluster-db").ConfigureAwait(false);
                return 2;
            }
            return await RunAsync(parse.GetValue(config)!.FullName, options, parse.GetValue(verbose), db, ct,
                configKey: ConfigKeyFile.InDataDirectory(parse.GetValue(data)!), auditLog: parse.GetValue(auditLog),
                jsonLogs: parse.GetValue(logFormat) == Logging.LogFormatOption.Json, cluster: cluster).ConfigureAwait(false);
        });
        return cmd;
    }

    /// <summary>`--audit-log FILE` (gateway and up): the audit lines in their own file, reopened on SIGHUP.</summary>
    public static Option<string?> AuditLogOption() => new("--audit-log")
    {
        Description = "write the audit lines (one JSON object each) to this file instead of the console; created 0600, appended to, reopened on SIGHUP",
    };

    public static ILoggerFactory CreateLoggers(bool verbose, Logging.AuditLogFile? auditLog = null, bool json = false, Admin.RecentAuditLines? recentAudit = null) => LoggerFactory.Create(b =>
    {
        // The console's decision log keeps the newest audit lines, wherever else they go.
        if (recentAudit is not null)
            b.AddProvider(recentAudit);
        // ISO 8601 time stamps with zone; audit lines are bare JSON objects (Logging/PgateConsoleFormatter.cs),
        // or, with --audit-log, only in that file. --log-format json: every entry one JSON object (LogFormatOption).
        if (json)
        {
            b.AddJsonLines();
        }
        else
        {
            b.AddConsole(o => o.FormatterName = Logging.PgateConsoleFormatter.FormatterName);
            b.AddConsoleFormatter<Logging.PgateConsoleFormatter, Microsoft.Extensions.Logging.Console.ConsoleFormatterOptions>();
        }
        b.SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Information);
        if (auditLog is not null)
        {
            b.AddProvider(auditLog);
            b.AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>(PostureGateKeeper.AuditCategory, LogLevel.None);
        }
    });

    /// <summary>Loads the file (ENC secrets opened with <paramref name="configKey"/>); prints every diagnostic; null when it has errors.</summary>
    public static GatewayConfig? LoadOrReport(string path, TextWriter err, ConfigKeyFile? configKey = null)
    {
        var result = ConfigLoader.Load(path, keyFile: configKey);
        foreach (var d in result.Diagnostics)
            err.WriteLine(d.ToString());
        return result.Config;
    }

    public static async Task<int> RunAsync(string path, GatewayHostOptions options, bool verbose, CountryDatabase? countries, CancellationToken ct,
        Func<FctEms, EmsConnectorSettings?>? connectorOverride = null, Action<GatewayHost>? started = null, ConfigKeyFile? configKey = null,
        TextWriter? diagnostics = null, string? auditLog = null, bool jsonLogs = false, Cluster.ClusterStore? cluster = null,
        Func<string, TextWriter, GatewayConfig?>? load = null)
    {
        await using var clusterStore = cluster;
        // `pgate up` reads the file its own way (its device-proof blocks appended), at the start and at every reload.
        load ??= (p, err) => LoadOrReport(p, err, configKey);
        // `pgate up` has printed the file's warnings already: it passes TextWriter.Null, so none is printed twice.
        var config = load(path, diagnostics ?? Console.Error);
        if (config is null)
        {
            await Console.Error.WriteLineAsync($"pgate gateway: {path} has errors; not starting").ConfigureAwait(false);
            return 1;
        }
        string? auditError = null;
        using var auditFile = auditLog is null ? null : Logging.AuditLogFile.Open(auditLog, out auditError);
        if (auditLog is not null && auditFile is null)
        {
            await Console.Error.WriteLineAsync($"pgate gateway: {auditError}").ConfigureAwait(false);
            return 2;
        }
        var recentAudit = new Admin.RecentAuditLines();
        using var loggers = CreateLoggers(verbose, auditFile, jsonLogs, recentAudit);
        var log = loggers.CreateLogger("PostureGate.Gateway");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        await using var posture = new PostureComposition(config, loggers, options.Time, countries, connectorOverride, options.PostureDecisionBudget);
        GatewayHost? running = null;
        // SIGHUP and the console's wizard reload through this one path.
        var reloader = new Admin.ConfigReloader(path, load, async (next, token) =>
        {
            posture.Reload(next);
            await running!.ReloadAsync(next, token).ConfigureAwait(false);
        });
        Admin.AdminAccountFile? accounts = null;
        try
        {
            accounts = Admin.AdminAccountFile.Open(options.DataDirectory, line => log.LogWarning("{Error}", line));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (config.Global.AdminConsole || options.AdminListen is not null)
            {
                await Console.Error.WriteLineAsync($"pgate gateway: admin console: {e.Message}").ConfigureAwait(false);
                return 1;
            }
            log.LogWarning("admin console: {Error}; the console cannot start until it is fixed", e.Message);
        }
        Cluster.ClusterNode? node = null;
        if (cluster is not null)
        {
            try
            {
                // Before the listeners: no tunnel is accepted by a node the cluster refused.
                node = await Cluster.ClusterNode.JoinAsync(cluster, loggers.CreateLogger("PostureGate.Cluster"), Cluster.ClusterNode.DefaultHeartbeat, stop.Token).ConfigureAwait(false);
            }
            catch (Cluster.ClusterDatabaseException e)
            {
                await Console.Error.WriteLineAsync("pgate gateway: " + e.Message).ConfigureAwait(false);
                return 1;
            }
        }
        await using var clusterNode = node;
        options = options with
        {
            Cluster = node,
            DynamicAddresses = posture.DynamicAddress,
            Revocations = posture.Revocations,
            AdminConsole = accounts is null ? null : new Admin.GatewayConsole(accounts, loggers, recentAudit, reloader, configKey, () => posture),
        };
        // Signals are taken before the start, whose routes and listeners a supervisor may already see: a
        // SIGHUP then would otherwise end the process (its default action); now it reloads once started.
        var reload = new SemaphoreSlim(0);
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        using var intr = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        using var hup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, c => { c.Cancel = true; reload.Release(); });
        GatewayHost host;
        try
        {
            host = await GatewayHost.StartAsync(config, options, loggers, posture, posture, stop.Token).ConfigureAwait(false);
        }
        catch (GatewayStartException ex)
        {
            await Console.Error.WriteLineAsync("pgate gateway: " + ex.Message).ConfigureAwait(false);
            return 1;
        }
        running = host;
        posture.Attach(host);
        posture.Start();
        started?.Invoke(host);
        if (host.MetricsUrl is { } metricsUrl)
            log.LogInformation("metrics: Prometheus scrapes {Url}", metricsUrl);
        log.LogInformation("listening on {Endpoints}; control socket {Control}; data plane {Mode}",
            string.Join(", ", host.IkeEndpoints), host.ControlPath,
            host.DataPlaneActive ? "active (ESP over TUN)" : "off (control plane only; the data plane needs root)");

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
                // Log rotation moved the audit file away: the next line goes to a new one.
                if (auditFile?.Reopen() is { } reopenError)
                    log.LogWarning("{Error}", reopenError);
                // Every console request checks the account file too; SIGHUP reads it now.
                accounts?.Refresh();
                var (applied, reloadLines) = await reloader.ReloadAsync(stop.Token).ConfigureAwait(false);
                await Console.Error.WriteAsync(reloadLines).ConfigureAwait(false);
                if (!applied)
                    log.LogError("reload refused: {File} has errors; the running configuration stays", path);
            }
        }
        finally
        {
            log.LogInformation("stopping: deleting SAs");
            await host.DisposeAsync().ConfigureAwait(false);
        }
        return 0;
    }
}
