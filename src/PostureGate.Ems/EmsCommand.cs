// `pgate ems`: run the endpoint management server (foreground), or administer its data
// directory: endpoint, tag, token, profile, apikey.
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
        var serial = new Option<string?>("--serial")
        {
            Description = "EMS serial number of a new data directory (FCTEMS + 10 digits; default: random); an existing one keeps its own",
            HelpName = "FCTEMS##########",
        };
        var command = new Command("ems", "Endpoint management server: posture tags, ZTNA tokens, gateway sync");
        command.Options.Add(cli.Data);
        command.Options.Add(listen);
        command.Options.Add(serial);
        command.SetAction((parse, cancellationToken) => RunAsync(parse, cli, listen, serial, cancellationToken));
        command.Subcommands.Add(EndpointCommand.Create(cli));
        command.Subcommands.Add(TagCommand.Create(cli));
        command.Subcommands.Add(TokenCommand.Create(cli));
        command.Subcommands.Add(ProfileCommand.Create(cli));
        command.Subcommands.Add(ApiKeyCommand(cli));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, EmsCli cli, Option<string> listen, Option<string?> serial, CancellationToken cancellationToken)
    {
        var output = parse.InvocationConfiguration.Output;
        var data = parse.GetValue(cli.Data)!;
        var firstStart = !File.Exists(Path.Combine(data, EmsDatabase.FileName));
        EmsServer server;
        try
        {
            server = await EmsServer.StartAsync(new EmsOptions { DataDirectory = data, Listen = parse.GetValue(listen)!, SerialNumber = parse.GetValue(serial) }, cancellationToken);
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidOperationException
            or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or Microsoft.Data.Sqlite.SqliteException)
        {
            return EmsCli.Fail(parse, e.Message);
        }
        await using (server)
        {
            output.WriteLine($"EMS listening on {server.Url}");
            output.WriteLine($"serial number: {server.SerialNumber}");
            output.WriteLine($"tenant id: {server.TenantId}");
            output.WriteLine($"certificate fingerprint (SHA-256): {server.CertificateFingerprint}");
            if (firstStart)
            {
                // Shown once here; later only by `pgate ems apikey`.
                output.WriteLine($"gateway API key: {server.ApiKey}");
                output.WriteLine($"admin API key: {server.AdminApiKey}");
            }
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
        var command = new Command("apikey", "Show the API keys (gateway: Authorization: Bearer <key>)");
        command.SetAction(parse => cli.WithStore(parse, (store, output) =>
        {
            output.WriteLine($"gateway API key: {store.GatewayApiKey}");
            output.WriteLine($"admin API key: {store.AdminApiKey}");
            return EmsCli.Ok;
        }));
        return command;
    }
}
