// `pgate ems`: run the endpoint management server (foreground), or administer its data
// directory: endpoint, invite, enrollment, tag, token, profile, apikey.
using System.CommandLine;
using System.Runtime.InteropServices;
using PostureGate.Ems.Cli;
using PostureGate.Ems.Storage;

namespace PostureGate.Ems;

public static class EmsCommand
{
    public static Command Create()
    {
        var cli = new EmsCli();
        var listen = new Option<string>("--listen")
        {
            Description = "HTTPS listen URL",
            DefaultValueFactory = _ => EmsOptions.DefaultListen,
            HelpName = "URL",
        };
        var lifetime = new Option<string>("--endpoint-cert-lifetime")
        {
            Description = "validity of the endpoint certificates issued at enrollment and renewal (e.g. 90d, 12h)",
            DefaultValueFactory = _ => "90d",
            HelpName = "DURATION",
        };
        var backdate = new Option<string?>("--endpoint-cert-backdate")
        {
            Description = "endpoint certificates are valid from this long before their issue, so a clock stepped back does not refuse them (default 1d, at most 7d and half the lifetime)",
            HelpName = "DURATION",
        };
        var serial = new Option<string?>("--serial")
        {
            Description = "EMS serial number of a new data directory (FCTEMS + 10 digits; default: random); an existing one keeps its own",
            HelpName = "FCTEMS##########",
        };
        var metrics = new Option<bool>("--metrics")
        {
            Description = "serve Prometheus metrics at /metrics on the HTTPS listener, without an API key (off by default; docs/observability.md)",
        };
        var logFormat = new Option<string>("--log-format")
        {
            Description = "console: one readable line per entry; json: one JSON object per line (docs/observability.md)",
            DefaultValueFactory = _ => "console",
            HelpName = "console|json",
        };
        logFormat.AcceptOnlyFromAmong("console", "json");
        var noConsole = new Option<bool>("--no-console")
        {
            Description = "do not serve the web console at /console (on by default; docs/console.md)",
        };
        var command = new Command("ems", "Endpoint management server: enrollment, posture tags, ZTNA tokens, gateway sync");
        command.Options.Add(cli.Data);
        command.Options.Add(cli.Database);
        command.Options.Add(cli.KeyFile);
        command.Options.Add(listen);
        command.Options.Add(lifetime);
        command.Options.Add(backdate);
        command.Options.Add(serial);
        command.Options.Add(metrics);
        command.Options.Add(logFormat);
        command.Options.Add(noConsole);
        command.SetAction((parse, cancellationToken) => RunAsync(parse, cli, listen, lifetime, backdate, serial, metrics, logFormat, noConsole, cancellationToken));
        command.Subcommands.Add(EndpointCommand.Create(cli));
        command.Subcommands.Add(InviteCommand.Create(cli));
        command.Subcommands.Add(InviteCommand.EnrollmentPolicy(cli));
        command.Subcommands.Add(TagCommand.Create(cli));
        command.Subcommands.Add(TokenCommand.Create(cli));
        command.Subcommands.Add(ProfileCommand.Create(cli));
        command.Subcommands.Add(ApiKeyCommand(cli));
        command.Subcommands.Add(AdminCommand.Create(cli));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, EmsCli cli, Option<string> listen, Option<string> lifetime, Option<string?> backdate, Option<string?> serial, Option<bool> metrics,
        Option<string> logFormat, Option<bool> noConsole, CancellationToken cancellationToken)
    {
        var output = parse.InvocationConfiguration.Output;
        var data = parse.GetValue(cli.Data)!;
        if (!DurationText.TryParse(parse.GetValue(lifetime), out var certificateLifetime))
            return EmsCli.Fail(parse, $"--endpoint-cert-lifetime '{parse.GetValue(lifetime)}' is not a duration like 90d, 12h, 30m");
        TimeSpan? certificateBackdate = null;
        if (parse.GetValue(backdate) is { } backdateText)
        {
            if (!DurationText.TryParse(backdateText, out var parsed))
                return EmsCli.Fail(parse, $"--endpoint-cert-backdate '{backdateText}' is not a duration like 1d, 12h, 30m");
            certificateBackdate = parsed;
        }
        EmsServer server;
        try
        {
            server = await EmsServer.StartAsync(new EmsOptions
            {
                DataDirectory = data,
                Database = parse.GetValue(cli.Database),
                KeyFile = parse.GetValue(cli.KeyFile),
                Listen = parse.GetValue(listen)!,
                EndpointCertificateLifetime = certificateLifetime,
                EndpointCertificateBackdate = certificateBackdate,
                SerialNumber = parse.GetValue(serial),
                Metrics = parse.GetValue(metrics),
                JsonLogs = parse.GetValue(logFormat) == "json",
                Console = !parse.GetValue(noConsole),
            }, cancellationToken);
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidOperationException
            or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or System.Data.Common.DbException)
        {
            return EmsCli.Fail(parse, e.Message);
        }
        await using (server)
        {
            output.WriteLine($"EMS listening on {server.Url}");
            output.WriteLine($"serial number: {server.SerialNumber}");
            output.WriteLine($"tenant id: {server.TenantId}");
            output.WriteLine($"certificate fingerprint (SHA-256): {server.CertificateFingerprint}");
            output.WriteLine($"endpoint CA: {server.Store.Keys.Describe(Enrollment.EndpointCertificateAuthority.CertificateFileName)}");
            // Shown once, when made; only their digests are stored (`pgate ems apikey rotate` for new ones).
            if (server.ApiKey is { } gatewayKey)
                output.WriteLine($"gateway API key: {gatewayKey}");
            if (server.AdminApiKey is { } adminKey)
                output.WriteLine($"admin API key: {adminKey}");
            if (server.ConsoleUrl is { } consoleUrl)
                output.WriteLine($"console: {consoleUrl}");
            // The password stays in the owner-only file: output may be a journal or a log file.
            if (server.ConsoleAdminFile is { } adminFile)
                output.WriteLine($"console admin: {WebConsole.FirstAdmin.Name}, password in {adminFile}");
            output.Flush();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, server.Stopping);
            // Ctrl-C and SIGTERM (systemd, docker stop) both mean a clean stop; without this
            // SIGTERM would end the process before the server closes its files.
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            void Stop(PosixSignalContext context)
            {
                context.Cancel = true;
                stop.Cancel();
            }
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
            output.WriteLine("EMS stopping");
            await server.StopAsync(CancellationToken.None);
        }
        return EmsCli.Ok;
    }

    private static Command ApiKeyCommand(EmsCli cli)
    {
        var command = new Command("apikey", "API keys (Authorization: Bearer <key>); stored as digests, shown once when made");
        var kind = new Argument<string>("KIND") { Description = "gateway or admin" };
        kind.AcceptOnlyFromAmong("gateway", "admin");
        var rotate = new Command("rotate", "Make a new key (the old one stops working at once) and show it once") { kind };
        rotate.SetAction(parse => cli.WithStore(parse, (store, output) =>
        {
            var which = parse.GetValue(kind) == "admin" ? ApiKeyKind.Admin : ApiKeyKind.Gateway;
            output.WriteLine($"{parse.GetValue(kind)} API key: {store.RotateApiKey(which)}");
            output.WriteLine("(shown once; only its SHA-256 is stored)");
            return EmsCli.Ok;
        }));
        command.Subcommands.Add(rotate);
        return command;
    }
}
