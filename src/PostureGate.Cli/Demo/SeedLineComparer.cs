// Compares the gateway's ike debug lines with a seed excerpt: every seed line must appear, in
// the seed's order, prefix included; other lines may come between (the side-by-side names them).
// Only what differs from run to run is masked, on both sides alike: addresses and ports, the
// SA serial of the prefix, interface indexes, the connection handle, lengths, 32-hex UIDs and
// tenant IDs, the token, the machine facts of FORTICLIENT_CONNECT (FCTVER, MAC, HOST, USER,
// OSVER), and what the seed itself starred out. A seed line spanning several lines (FORTICLIENT_CONNECT's
// text) must begin the demo's line.
using System.Text;
using System.Text.RegularExpressions;

namespace PostureGate.Cli.Demo;

public enum SeedLineProblem
{
    None,
    /// <summary>Nowhere in the log.</summary>
    Missing,
    /// <summary>Present, but before the seed line it follows.</summary>
    OutOfOrder,
    /// <summary>The message is there, under another prefix (name, serial or form).</summary>
    WrongPrefix,
}

/// <summary>One seed line and where it was found (the index in the demo's lines), or why not.</summary>
public sealed record SeedLineMatch(string Seed, int Index, SeedLineProblem Problem, string? Found);

public sealed record SeedComparison(SeedExcerpt Excerpt, IReadOnlyList<SeedLineMatch> Lines)
{
    public bool Passed => Lines.All(l => l.Problem == SeedLineProblem.None);

    /// <summary>"seed line 8 missing: …" for each line that did not match.</summary>
    public IEnumerable<string> Failures => Lines.Select((l, i) => (l, i)).Where(x => x.l.Problem != SeedLineProblem.None)
        .Select(x => $"seed line {x.i + 1} {Describe(x.l.Problem)}: {FirstLine(x.l.Seed)}" + (x.l.Found is { } f ? $" (found: {FirstLine(f)})" : ""));

    private static string Describe(SeedLineProblem p) => p switch
    {
        SeedLineProblem.Missing => "missing",
        SeedLineProblem.OutOfOrder => "out of order",
        SeedLineProblem.WrongPrefix => "wrongly prefixed",
        _ => "ok",
    };

    internal static string FirstLine(string s) => s.Split('\n')[0].TrimEnd();
}

public static partial class SeedLineComparer
{
    /// <summary>Where the seed elides lines ("…"): any number of the demo's lines may stand there.</summary>
    public const string Elision = "…";

    public static SeedComparison Compare(SeedExcerpt excerpt, IReadOnlyList<string> log)
    {
        var normalized = log.Select(Normalize).ToArray();
        var result = new List<SeedLineMatch>();
        var next = 0;
        foreach (var block in Blocks(excerpt.Lines))
        {
            var patterns = block.Select(l => PatternOf(l, excerpt.PhaseOneOf)).ToArray();
            if (Tightest(normalized, patterns, next) is { } at)
            {
                result.AddRange(block.Select((seed, i) => new SeedLineMatch(seed, at[i], SeedLineProblem.None, log[at[i]])));
                next = at[^1] + 1;
                continue;
            }
            for (var i = 0; i < block.Count; i++)
                result.Add(Diagnose(block[i], patterns[i], normalized, log, ref next));
        }
        return new SeedComparison(excerpt, result);
    }

    // Lines the seed prints without an elision between them are one block.
    private static List<List<string>> Blocks(IReadOnlyList<string> lines)
    {
        var blocks = new List<List<string>> { new() };
        foreach (var l in lines)
        {
            if (l == Elision)
                blocks.Add([]);
            else
                blocks[^1].Add(l);
        }
        return [.. blocks.Where(b => b.Count > 0)];
    }

    // The block's lines in order from `from`, spread over as few of the demo's lines as possible
    // (so the seed's "responder received AUTH msg" before "auth verify done" is the same message's).
    private static int[]? Tightest(string[] lines, Regex[] patterns, int from)
    {
        int[]? best = null;
        for (var start = Find(lines, patterns[0], from); start >= 0; start = Find(lines, patterns[0], start + 1))
        {
            var at = new int[patterns.Length];
            at[0] = start;
            var ok = true;
            for (var i = 1; i < patterns.Length && ok; i++)
            {
                at[i] = Find(lines, patterns[i], at[i - 1] + 1);
                ok = at[i] >= 0;
            }
            if (ok && (best is null || at[^1] - at[0] < best[^1] - best[0]))
                best = at;
        }
        return best;
    }

    private static SeedLineMatch Diagnose(string seed, Regex pattern, string[] normalized, IReadOnlyList<string> log, ref int next)
    {
        var at = Find(normalized, pattern, next);
        if (at >= 0)
        {
            next = at + 1;
            return new SeedLineMatch(seed, at, SeedLineProblem.None, log[at]);
        }
        var earlier = Find(normalized, pattern, 0);
        if (earlier >= 0)
            return new SeedLineMatch(seed, earlier, SeedLineProblem.OutOfOrder, log[earlier]);
        var other = Find(normalized, MessagePattern(seed), 0);
        return other >= 0
            ? new SeedLineMatch(seed, other, SeedLineProblem.WrongPrefix, log[other])
            : new SeedLineMatch(seed, -1, SeedLineProblem.Missing, null);
    }

    private static int Find(string[] lines, Regex pattern, int from)
    {
        for (var i = from; i < lines.Length; i++)
        {
            if (pattern.IsMatch(lines[i]))
                return i;
        }
        return -1;
    }

    /// <summary>A line with what varies from run to run replaced by placeholders.</summary>
    public static string Normalize(string line)
    {
        var s = string.Join('\n', line.Replace("\r", "", StringComparison.Ordinal).Split('\n').Select(l => l.TrimEnd()));
        s = Serial().Replace(s, "$1:<serial>:");
        s = Connection().Replace(s, "created connection: 0x<handle> <ifindex>");
        s = IfIndex().Replace(s, "ifindex=<ifindex>");
        s = Address().Replace(s, "<address>");
        s = Length().Replace(s, "$1<length>");
        s = Token().Replace(s, "data=<token>");
        s = Hex32().Replace(s, "<uid>");
        s = StarredHex().Replace(s, "<uid>");
        s = Fact().Replace(s, "$1=<fact>");
        return s.TrimEnd('\n');
    }

    // The seed line as a regex over normalized lines: its names mapped to the demo's phase1 (or an
    // instance of it), its starred-out characters matching any, its end open when it spans lines.
    private static Regex PatternOf(string seed, IReadOnlyDictionary<string, string> names)
    {
        var text = Normalize(seed);
        var (prefix, message) = Split(text);
        var p = Regex.Escape(prefix);
        foreach (var (seedName, phase1) in names)
        {
            var instance = $"{Regex.Escape(phase1)}(?:_\\d+)?";
            p = p.Replace($":{Regex.Escape(seedName)}:", $":{instance}:", StringComparison.Ordinal)
                 .Replace($"V=root:{Regex.Escape(seedName)}\\ ", $"V=root:{instance}\\ ", StringComparison.Ordinal);
        }
        var multiLine = message.Contains('\n');
        return new Regex("^" + p + Stars().Replace(Regex.Escape(message), "[0-9A-Za-z*]+") + (multiLine ? "" : "$"), RegexOptions.Singleline | RegexOptions.CultureInvariant);
    }

    // The message alone, any prefix: to tell a wrongly prefixed line from a missing one.
    private static Regex MessagePattern(string seed)
    {
        var (_, message) = Split(Normalize(seed));
        var multiLine = message.Contains('\n');
        return new Regex("^ike V=\\S*[: ]\\s?" + Stars().Replace(Regex.Escape(message), "[0-9A-Za-z*]+") + (multiLine ? "" : "$"), RegexOptions.Singleline | RegexOptions.CultureInvariant);
    }

    // "ike V=root:0:dialup:<serial>: " | "ike V=root:0: " | "ike V=root:dialup " and the rest.
    private static (string Prefix, string Message) Split(string line)
    {
        var m = Prefix().Match(line);
        return m.Success ? (m.Value, line[m.Length..]) : ("", line);
    }

    /// <summary>Side by side, for the closing note: each seed line, and the demo's line it matched or what went wrong.</summary>
    public static string SideBySide(SeedComparison c)
    {
        var sb = new StringBuilder();
        sb.Append("### ").Append(c.Excerpt.Title).Append("\n\n| # | seed | demo |\n|---|---|---|\n");
        for (var i = 0; i < c.Lines.Count; i++)
        {
            var l = c.Lines[i];
            var demo = l.Problem == SeedLineProblem.None ? Cell(l.Found!) : $"**{l.Problem}**" + (l.Found is { } f ? " " + Cell(f) : "");
            sb.Append($"| {i + 1} | {Cell(l.Seed)} | {demo} |\n");
        }
        return sb.ToString();
    }

    private static string Cell(string s) => "`" + s.TrimEnd('\n').Replace("\n", "⏎", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal).Replace("`", "'", StringComparison.Ordinal) + "`";

    [GeneratedRegex(@"^(ike V=[^:\s]+:\d+:[^:\s]+):\d+:")]
    private static partial Regex Serial();

    [GeneratedRegex(@"created connection: 0x[0-9a-f]+ \d+")]
    private static partial Regex Connection();

    [GeneratedRegex(@"ifindex=\d+")]
    private static partial Regex IfIndex();

    [GeneratedRegex(@"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?(?!\d)(?!\.\d)")]
    private static partial Regex Address();

    [GeneratedRegex(@"(len ?= ?)\d+")]
    private static partial Regex Length();

    [GeneratedRegex(@"data=eyJ.*")]
    private static partial Regex Token();

    [GeneratedRegex(@"(?<![0-9A-Fa-f])[0-9A-F]{32}(?![0-9A-Fa-f])")]
    private static partial Regex Hex32();

    // The seed's own masking of a tenant id ("*************1EDB589FBC4626").
    [GeneratedRegex(@"\*{4,}[0-9A-F]{4,}(?![0-9A-Fa-f])")]
    private static partial Regex StarredHex();

    [GeneratedRegex(@"^(FCTVER|MAC|HOST|USER|OSVER)=.*$", RegexOptions.Multiline)]
    private static partial Regex Fact();

    [GeneratedRegex(@"^ike V=[^:\s]+(?::\d+:(?:[^:\s]+:(?:[^:\s]+:)?)?\s|:[^:\s]+\s)")]
    private static partial Regex Prefix();

    [GeneratedRegex(@"(?:\\\*)+")]
    private static partial Regex Stars();
}
