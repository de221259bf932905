// docs/configuration.md is generated from the schema tables by this class
// (`pgate config reference`), and a test compares the committed file with a
// fresh generation, so the reference cannot drift from what the parser accepts.
using System.Globalization;
using System.Text;
using PostureGate.Config.Printing;
using PostureGate.Proposals;

namespace PostureGate.Config.Schema;

public static class ConfigReference
{
    public static string Markdown()
    {
        var sb = new StringBuilder();
        sb.Append("# Configuration reference\n\n");
        sb.Append("Generated from the schema by `pgate config reference` (do not edit by hand; a test checks it).\n");
        sb.Append("Every table, every attribute PostureGate reads, its value type and its default — the value\n");
        sb.Append("`pgate config show --with-defaults` prints when the attribute is not set. A value PostureGate does not\n");
        sb.Append("implement is an error (`not implemented yet`), never accepted and ignored; the notes under each table list them.\n\n");
        foreach (var t in ConfigSchema.Tables)
        {
            sb.Append(CultureInfo.InvariantCulture, $"## config {t.Path}\n\n");
            sb.Append(t.IsTable
                ? (t.IsNumbered ? string.Create(CultureInfo.InvariantCulture, $"A table of entries numbered {t.MinKey}–{t.MaxKey} (`edit <id>`).\n\n") : string.Create(CultureInfo.InvariantCulture, $"A table of named entries (`edit \"<name>\"`, up to {t.MaxNameLength} characters).\n\n"))
                : "Settings (`set` directly, no `edit`).\n\n");
            if (t.Note is { } note)
                sb.Append(note).Append("\n\n");
            sb.Append("| attribute | value | default |\n| --- | --- | --- |\n");
            foreach (var a in t.Attributes)
                sb.Append(CultureInfo.InvariantCulture, $"| `{a.Name}` | {Describe(a)} | {DefaultOf(a)} |\n");
            sb.Append('\n');
            if (FortiOsAttributes.Unused(t).Any())
            {
                sb.Append("Also accepted, as FortiOS 7.4/7.6 documents them, and kept by `config show`, but without effect here ");
                sb.Append("(a warning each, except the descriptive `comment(s)`, `description`, `alias`, `uuid`, `color`): ");
                sb.Append(string.Join(", ", FortiOsAttributes.Unused(t).Select(n => $"`{n}`")));
                if (FortiOsAttributes.Tables(t).Any())
                    sb.Append("; and the sub-tables ").Append(string.Join(", ", FortiOsAttributes.Tables(t).Select(n => $"`config {n}`")));
                sb.Append(".\n\n");
            }
        }
        sb.Append("## Proposal names\n\n");
        sb.Append("Phase 1 (`set proposal` in phase1-interface): ");
        sb.Append(string.Join(", ", FortiOsProposals.Phase1.Select(s => $"`{s.Name}`"))).Append(".\n\n");
        sb.Append("Phase 2 (`set proposal` in phase2-interface): ");
        sb.Append(string.Join(", ", FortiOsProposals.Phase2.Select(s => $"`{s.Name}`"))).Append(".\n\n");
        sb.Append("DH groups (`set dhgrp`): ");
        sb.Append(string.Join(", ", FortiOsProposals.DhGroups.Select(g => string.Create(CultureInfo.InvariantCulture, $"`{(ushort)g}` ({FortiOsProposals.DhGroupName(g)})")))).Append(".\n");
        return sb.ToString();
    }

    private static string Describe(AttributeSchema a) => a.Kind switch
    {
        ValueKind.String => string.Create(CultureInfo.InvariantCulture, $"string (≤ {a.MaxLength})"),
        ValueKind.StringList => a.BareWords ? "option words (bare, as FortiOS prints them)" : "one or more strings",
        ValueKind.Secret => "secret (`config show` prints it as `ENC …`, sealed with this machine's key)",
        ValueKind.Ipv4 => "IPv4 address",
        ValueKind.Ipv4Prefix => "IPv4 address and netmask (`a.b.c.d m.m.m.m` or `/n`)",
        ValueKind.Netmask => "netmask",
        ValueKind.Integer => string.Create(CultureInfo.InvariantCulture, $"integer {a.Min}–{a.Max}"),
        ValueKind.Toggle => "`enable` \\| `disable`",
        ValueKind.Enum => string.Join(" \\| ", a.Words.Select(w => $"`{w}`")),
        ValueKind.Phase1Proposals => "phase 1 proposal names",
        ValueKind.Phase2Proposals => "phase 2 proposal names",
        ValueKind.DhGroups => "DH group numbers",
        _ => a.Kind.ToString(),
    };

    private static string DefaultOf(AttributeSchema a) =>
        a.Default is { } d ? "`" + ConfigPrinter.Format(a, d, showSecrets: false).Replace("|", "\\|", StringComparison.Ordinal) + "`" : "—";
}
