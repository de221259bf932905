// `pgate config check FILE…` and `pgate config show FILE [PATH…]`. Secrets print as
// `ENC <base64>` sealed with this machine's key (<data>/config.key, created by the
// first `show`), which `check`, `show`, `gateway` and `up` read back, as FortiOS does
// with its device key: `pgate config show f.conf > backup.conf` restores here.
using System.CommandLine;
using PostureGate.Config;
using PostureGate.Config.Host;
using PostureGate.Config.Printing;
using PostureGate.Config.Secrets;

namespace PostureGate.Cli.Commands;

internal static class ConfigCommand
{
    public static Command Create()
    {
        var config = new Command("config", "Check and print FortiOS-style configuration files");
        config.Subcommands.Add(CreateCheck());
        config.Subcommands.Add(CreateShow());
        config.Subcommands.Add(CreateReference());
        return config;
    }

    private static Option<string> DataOption() => new("--data")
    {
        Description = $"data directory holding {ConfigKeyFile.FileName}, this machine's key for ENC secrets",
        DefaultValueFactory = _ => ConfigKeyFile.DefaultDataDirectory,
    };

    private static Command CreateCheck()
    {
        var files = new Argument<string[]>("FILE") { Description = "Configuration files, each checked on its own", Arity = ArgumentArity.OneOrMore };
        var noHost = new Option<bool>("--no-host") { Description = "Do not compare interfaces with this machine's" };
        var data = DataOption();
        var check = new Command("check", "Report every error and warning as file:line:col; exit 1 on any error") { files, noHost, data };
        check.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var host = parse.GetValue(noHost) ? null : new LinuxHostInterfaceSource();
            var failed = false;
            var key = ConfigKeyFile.InDataDirectory(parse.GetValue(data)!);
            foreach (var file in parse.GetValue(files)!)
            {
                var result = ConfigLoader.Load(file, host, key);
                DiagnosticWriter.Write(output, result.Diagnostics);
                DiagnosticWriter.WriteSummary(output, file, result);
                failed |= !result.Success;
            }
            return failed ? 1 : 0;
        });
        return check;
    }

    private static Command CreateShow()
    {
        var file = new Argument<string>("FILE") { Description = "Configuration file" };
        var path = new Argument<string[]>("PATH") { Description = "Only this path, e.g. 'vpn ipsec phase1-interface' (optionally followed by an entry name)", Arity = ArgumentArity.ZeroOrMore };
        var withDefaults = new Option<bool>("--with-defaults") { Description = "Also print attributes left at their default" };
        var showSecrets = new Option<bool>("--show-secrets") { Description = "Print secrets in clear instead of ENC (sealed with this machine's key)" };
        var data = DataOption();
        var show = new Command("show", "Print the configuration in canonical FortiOS form") { file, path, withDefaults, showSecrets, data };
        show.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var name = parse.GetValue(file)!;
            var keyFile = ConfigKeyFile.InDataDirectory(parse.GetValue(data)!);
            var result = ConfigLoader.Load(name, keyFile: keyFile);
            if (result.Config is null)
            {
                DiagnosticWriter.Write(error, result.Diagnostics);
                DiagnosticWriter.WriteSummary(error, name, result);
                return 1;
            }
            var options = new PrintOptions { WithDefaults = parse.GetValue(withDefaults), ShowSecrets = parse.GetValue(showSecrets) };
            var words = parse.GetValue(path) ?? [];
            if (words.Length > 0)
            {
                if (!TrySelect(words, out var table, out var entry))
                {
                    error.WriteLine($"unknown configuration path '{string.Join(' ', words)}'; known: {string.Join(", ", ConfigPrinter.Paths)}");
                    return 1;
                }
                options = options with { Path = table, Entry = entry };
            }
            if (!options.ShowSecrets)
            {
                try
                {
                    options = options with { Key = keyFile.LoadOrCreate() };
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    error.WriteLine($"pgate config show: cannot seal secrets: {ex.Message}");
                    return 1;
                }
            }
            using (options.Key)
                ConfigPrinter.Print(result.Config, output, options);
            return 0;
        });
        return show;
    }

    /// <summary>"vpn ipsec phase1-interface" or "vpn ipsec phase1-interface dialup".</summary>
    private static bool TrySelect(string[] words, out string? table, out string? entry)
    {
        var joined = string.Join(' ', words);
        table = ConfigPrinter.Paths.FirstOrDefault(p => p == joined);
        entry = null;
        if (table is not null)
            return true;
        if (words.Length > 1)
        {
            var prefix = string.Join(' ', words[..^1]);
            table = ConfigPrinter.Paths.FirstOrDefault(p => p == prefix);
            entry = words[^1];
        }
        return table is not null;
    }

    private static Command CreateReference()
    {
        var cmd = new Command("reference", "Print the configuration reference (Markdown), generated from the schema");
        cmd.SetAction(parse =>
        {
            parse.InvocationConfiguration.Output.Write(PostureGate.Config.Schema.ConfigReference.Markdown());
            return 0;
        });
        return cmd;
    }
}
