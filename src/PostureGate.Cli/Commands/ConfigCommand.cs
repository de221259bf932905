// `pgate config check FILE…` and `pgate config show FILE [PATH…]`.
using System.CommandLine;
using PostureGate.Config;
using PostureGate.Config.Host;
using PostureGate.Config.Printing;

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

    private static Command CreateCheck()
    {
        var files = new Argument<string[]>("FILE") { Description = "Configuration files, each checked on its own", Arity = ArgumentArity.OneOrMore };
        var noHost = new Option<bool>("--no-host") { Description = "Do not compare interfaces with this machine's" };
        var check = new Command("check", "Report every error and warning as file:line:col; exit 1 on any error") { files, noHost };
        check.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var host = parse.GetValue(noHost) ? null : new LinuxHostInterfaceSource();
            var failed = false;
            foreach (var file in parse.GetValue(files)!)
            {
                var result = ConfigLoader.Load(file, host);
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
        var showSecrets = new Option<bool>("--show-secrets") { Description = "Print secrets in clear instead of ENC ****" };
        var show = new Command("show", "Print the configuration in canonical FortiOS form") { file, path, withDefaults, showSecrets };
        show.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var name = parse.GetValue(file)!;
            var result = ConfigLoader.Load(name);
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
