// `pgate diagnose WORDS…`: the FortiOS diagnose commands, answered by the
// running gateway over its control socket.
using System.CommandLine;
using PostureGate.Gateway.Control;

namespace PostureGate.Gateway.Diagnose;

public static class DiagnoseCommand
{
    public static Command Create()
    {
        var words = new Argument<string[]>("words")
        {
            Arity = ArgumentArity.OneOrMore,
            Description = "the FortiOS diagnose words, e.g. `vpn ike gateway list name dialup_0`",
        };
        var control = FindControlOption();
        var json = new Option<bool>("--json") { Description = "machine-readable output (list commands)" };
        words.CompletionSources.Add(context => DiagnoseWords.Complete(context, words));
        var cmd = new Command("diagnose", "Ask the running gateway, as FortiOS's diagnose does:\n" + DiagnoseWords.HelpLines())
        {
            words, control, json,
        };
        cmd.SetAction(async (parse, ct) =>
        {
            var request = new ControlRequest(parse.GetValue(words)!, parse.GetValue(json));
            try
            {
                var socket = parse.GetValue(control) ?? ControlSocketLocator.Find(Environment.GetEnvironmentVariable("PGATE_CONTROL"));
                return await ControlClient.SendAsync(socket, request, Console.Out, ct).ConfigureAwait(false);
            }
            catch (ControlUnavailableException ex)
            {
                await Console.Error.WriteLineAsync("pgate diagnose: " + ex.Message).ConfigureAwait(false);
                return 3;
            }
        });
        return cmd;
    }

    /// <summary>The gateway's --control: where it creates its socket.</summary>
    public static Option<string> ControlOption() => new("--control")
    {
        Description = "the control socket to create (env PGATE_CONTROL)",
        HelpName = "FILE",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("PGATE_CONTROL") ?? ControlProtocol.DefaultSocketPath,
    };

    /// <summary>diagnose's --control: where a running gateway or `pgate up` is found.</summary>
    /// <summary>No DefaultValueFactory: help would show what it finds now, not the rule.</summary>
    private static Option<string?> FindControlOption() => new("--control")
    {
        Description = $"the gateway's control socket [default: env PGATE_CONTROL, else {ControlProtocol.DefaultSocketPath} if it exists, else {ControlSocketLocator.UpSocketPath} of a `pgate up` started here]",
        HelpName = "FILE",
    };
}
