// `pgate ems token settings [--enable|--disable] [--lifetime S] [--refresh S]`, `pgate ems token rotate`.
using System.CommandLine;
using PostureGate.Ems.Tokens;

namespace PostureGate.Ems.Cli;

internal static class TokenCommand
{
    public static Command Create(EmsCli cli)
    {
        var command = new Command("token", "ZTNA tag tokens (JWT)");
        var enable = new Option<bool>("--enable") { Description = "Enable ZTNA Token" };
        var disable = new Option<bool>("--disable") { Description = "Disable ZTNA Token" };
        var lifetime = new Option<int?>("--lifetime") { Description = "ZTNA Token Timeout in seconds", HelpName = "S" };
        var refresh = new Option<int?>("--refresh") { Description = "refresh interval in seconds", HelpName = "S" };

        var settings = new Command("settings", "Show or change the token settings") { enable, disable, lifetime, refresh };
        settings.SetAction(parse => cli.WithStore(parse, (store, output) =>
        {
            if (parse.GetValue(enable) && parse.GetValue(disable))
                return EmsCli.Fail(parse, "--enable and --disable together");
            bool? enabled = parse.GetValue(enable) ? true : parse.GetValue(disable) ? false : null;
            if (enabled is not null || parse.GetValue(lifetime) is not null || parse.GetValue(refresh) is not null)
            {
                var result = store.SetTokenSettings(enabled, parse.GetValue(lifetime), parse.GetValue(refresh));
                if (EmsCli.Report(parse, result, "token settings saved") != EmsCli.Ok)
                    return EmsCli.Failed;
            }
            var s = store.GetTokenSettings();
            output.WriteLine($"enabled: {(s.Enabled ? "yes" : "no")}\nlifetime: {s.LifetimeSeconds}s\nrefresh: {s.RefreshSeconds}s");
            return EmsCli.Ok;
        }));
        command.Subcommands.Add(settings);

        var rotate = new Command("rotate", "Make a new signing key; the old one stays in the JWKS until its tokens expire");
        rotate.SetAction(parse => cli.WithStore(parse, (store, _) =>
        {
            using var keys = SigningKeyRing.Open(store);
            var result = keys.Rotate();
            return EmsCli.Report(parse, result, $"new signing key {result.Detail}");
        }));
        command.Subcommands.Add(rotate);
        return command;
    }
}
