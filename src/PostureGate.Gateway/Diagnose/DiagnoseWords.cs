// The diagnose commands a client of the control socket can name (FortiOS's words, as registered
// by GatewayHost and PostureComposition): one table for `pgate diagnose --help` and for shell
// completion (System.CommandLine's [suggest] directive), which completes the next word of a
// command from what is typed so far, without asking a running gateway.
using System.CommandLine.Completions;

namespace PostureGate.Gateway.Diagnose;

public static class DiagnoseWords
{
    /// <summary>Each command: its words, what follows them (shown, not completed), and what it does.</summary>
    public static IReadOnlyList<(string Words, string Arguments, string Description)> Commands { get; } =
    [
        ("vpn ike gateway list", "[name NAME] [--cluster]", "IKE SAs of dial-up instances (--cluster: the whole fleet)"),
        ("vpn ike gateway clear", "[name NAME [node NODE]]", "delete them (on any node of a cluster)"),
        ("vpn ike keys", "--wireshark DIR", "the current SAs' keys as Wireshark's tables in DIR (debugging only)"),
        ("vpn ike redirect", "", "draining, redirected clients, redirect targets (RFC 5685)"),
        ("vpn tunnel list", "[name NAME]", "tunnels and their counters"),
        ("vpn ipsec status", "", "data planes: TUN offloads, batching, drops"),
        ("firewall dynamic list", "[NAME]", "ZTNA tag addresses"),
        ("firewall policy list", "", "policies and their hit counters"),
        ("endpoint ec-shm list", "", "endpoint records, one per endpoint of each EMS"),
        ("endpoint fctems status", "", "EMS connectors"),
        ("posture explain", "IP|UID [TUNNEL]", "what the posture gate would decide now"),
        ("debug application ike", "-1", "set the ike debug level (0 = off)"),
        ("debug enable", "", "stream the debug log (Ctrl-C ends)"),
        ("debug disable", "", "stop it"),
        ("debug reset", "", "debug levels back to off"),
    ];

    /// <summary>The help's command list, one aligned line per command.</summary>
    public static string HelpLines()
    {
        var shown = Commands.Select(c => (Left: c.Arguments.Length == 0 ? c.Words : $"{c.Words} {c.Arguments}", c.Description)).ToArray();
        var width = shown.Max(s => s.Left.Length) + 2;
        return string.Join("\n", shown.Select(s => "  " + s.Left.PadRight(width) + s.Description));
    }

    /// <summary>The words that may come after <paramref name="typed"/>, starting with <paramref name="prefix"/>.</summary>
    public static IEnumerable<string> Next(IReadOnlyList<string> typed, string prefix) =>
        Commands.Select(c => c.Words.Split(' '))
            .Where(w => w.Length > typed.Count && typed.Select((t, i) => string.Equals(t, w[i], StringComparison.Ordinal)).All(x => x))
            .Select(w => w[typed.Count])
            .Where(w => w.StartsWith(prefix, StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);

    /// <summary>The completion source of diagnose's words argument.</summary>
    public static IEnumerable<CompletionItem> Complete(CompletionContext context, System.CommandLine.Argument<string[]> words)
    {
        var prefix = context.WordToComplete;
        // The tokens, not GetValue: with no word yet the argument is missing, and GetValue would throw.
        var typed = context.ParseResult.GetResult(words)?.Tokens.Select(t => t.Value).ToArray() ?? [];
        // The word being completed is parsed too: it is not yet "typed".
        if (prefix.Length > 0 && typed.Length > 0 && typed[^1] == prefix)
            typed = typed[..^1];
        return Next(typed, prefix).Select(w => new CompletionItem(w));
    }
}
