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
        var wireshark = new Option<string?>("--wireshark")
        {
            Description = "with `vpn ike keys`: DEBUGGING ONLY: write the current SAs' keys to Wireshark's ikev2_decryption_table and esp_sa in DIR (0600)",
        };
        var cluster = new Option<bool>("--cluster") { Description = "with `vpn ike gateway list`: every node of the gateway cluster (docs/cluster.md)" };
        words.CompletionSources.Add(context => DiagnoseWords.Complete(context, words));
        var cmd = new Command("diagnose", "Ask the running gateway, as FortiOS's diagnose does:\n" + DiagnoseWords.HelpLines())
        {
            words, control, json, wireshark, cluster,
        };
        cmd.SetAction(async (parse, ct) =>
        {
            var said = parse.GetValue(words)!;
            var keysDir = parse.GetValue(wireshark);
            var asksKeys = string.Join(' ', said) == WiresharkKeyExport.Words;
            if (asksKeys != keysDir is not null)
            {
                await Console.Error.WriteLineAsync(asksKeys
                    ? $"pgate diagnose: {WiresharkKeyExport.Words} needs --wireshark DIR (the keys go to files, never to the terminal)"
                    : $"pgate diagnose: --wireshark goes with `{WiresharkKeyExport.Words}` only").ConfigureAwait(false);
                return 2;
            }
            if (parse.GetValue(cluster))
                said = [.. said, Composition.GatewayHost.ClusterWord];
            var request = new ControlRequest(said, parse.GetValue(json));
            try
            {
                var socket = parse.GetValue(control) ?? ControlSocketLocator.Find(Environment.GetEnvironmentVariable("PGATE_CONTROL"));
                if (keysDir is null)
                    return await ControlClient.SendAsync(socket, request, Console.Out, ct).ConfigureAwait(false);
                return await WriteKeysAsync(socket, request, keysDir, ct).ConfigureAwait(false);
            }
            catch (ControlUnavailableException ex)
            {
                await Console.Error.WriteLineAsync("pgate diagnose: " + ex.Message).ConfigureAwait(false);
                return 3;
            }
        });
        return cmd;
    }

    private static async Task<int> WriteKeysAsync(string socket, ControlRequest request, string directory, CancellationToken ct)
    {
        var answer = new StringWriter();
        var rc = await ControlClient.SendAsync(socket, request, answer, ct).ConfigureAwait(false);
        if (rc != 0)
        {
            // A refusal (not root or the owner) or an older gateway: its words, which carry no key.
            await Console.Error.WriteAsync(answer.ToString()).ConfigureAwait(false);
            return rc;
        }
        try
        {
            if (WiresharkKeyExport.WriteTables(directory, answer.ToString(), out var error) is not { } written)
            {
                await Console.Error.WriteLineAsync("pgate diagnose: " + error).ConfigureAwait(false);
                return 1;
            }
            await Console.Out.WriteLineAsync($"wrote {written.IkeSas} IKE SA(s) to {Path.Combine(directory, Ike.Diagnostics.WiresharkKeyFormat.IkeTableFile)} " +
                $"and {written.EspSas} CHILD_SA(s) to {Path.Combine(directory, Ike.Diagnostics.WiresharkKeyFormat.EspTableFile)}" +
                (written.Skipped > 0 ? $"; {written.Skipped} skipped (a transform Wireshark cannot decrypt)" : "") +
                ". DEBUGGING ONLY: whoever reads them decrypts the captured traffic; delete them when done").ConfigureAwait(false);
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"pgate diagnose: --wireshark {directory}: {e.Message}").ConfigureAwait(false);
            return 1;
        }
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
    internal static Option<string?> FindControlOption() => new("--control")
    {
        Description = $"the gateway's control socket [default: env PGATE_CONTROL, else {ControlProtocol.DefaultSocketPath} if it exists, else {ControlSocketLocator.UpSocketPath} of a `pgate up` started here]",
        HelpName = "FILE",
    };
}
