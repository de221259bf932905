// `set nat enable` on a policy: source NAT to the egress interface's address,
// done by the kernel. The gateway owns one nftables table and replaces it
// whole, so a restart or reload never leaves stale rules behind.
using System.Text;
using PostureGate.Platform;

namespace PostureGate.Gateway.Firewall;

public sealed record MasqueradeRule(string OutputDevice, string SourcePrefix);

public static class NatMasquerade
{
    public const string TableName = "posturegate";

    /// <summary>The nft script that replaces our table with exactly these rules.</summary>
    public static string Script(IEnumerable<MasqueradeRule> rules)
    {
        var sb = new StringBuilder();
        // "add" then "delete" makes the delete succeed whether or not the table existed.
        sb.Append("add table ip ").Append(TableName).Append('\n');
        sb.Append("delete table ip ").Append(TableName).Append('\n');
        sb.Append("table ip ").Append(TableName).Append(" {\n");
        sb.Append("  chain postrouting {\n    type nat hook postrouting priority srcnat; policy accept;\n");
        foreach (var r in rules.Distinct())
            sb.Append("    oifname \"").Append(r.OutputDevice).Append("\" ip saddr ").Append(r.SourcePrefix).Append(" masquerade\n");
        sb.Append("  }\n}\n");
        return sb.ToString();
    }

    public static string RemoveScript() => $"add table ip {TableName}\ndelete table ip {TableName}\n";

    public static Task<(int ExitCode, string Error)> ApplyAsync(IEnumerable<MasqueradeRule> rules, CancellationToken ct) => RunNftAsync(Script(rules), ct);

    public static Task<(int ExitCode, string Error)> RemoveAsync(CancellationToken ct) => RunNftAsync(RemoveScript(), ct);

    private static async Task<(int, string)> RunNftAsync(string script, CancellationToken ct)
    {
        var r = await HostCommand.NftAsync(script, ct).ConfigureAwait(false);
        return (r.ExitCode, r.Error);
    }
}
