// Why a `pgate demo` run failed, short enough to survive a CI log: each failed step's name,
// expected, actual and failed checks, with the debug lines it took (not the whole report's tail).
using System.Text;
using System.Text.Json;

namespace PostureGate.Cli.Tests;

internal static class DemoFailure
{
    /// <summary>From `pgate demo --json`: the failed steps, or the run's error, or (not JSON) what it printed.</summary>
    public static string FromJson(string output, string error)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(output);
        }
        catch (JsonException)
        {
            return $"demo output is not JSON:\n{output}\n{error}";
        }
        using (doc)
        {
            var why = new StringBuilder("pgate demo --json failed");
            if (doc.RootElement.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String)
                why.Append($": {e.GetString()}");
            why.AppendLine();
            foreach (var step in doc.RootElement.GetProperty("steps").EnumerateArray().Where(s => !s.GetProperty("passed").GetBoolean()))
            {
                why.AppendLine($"step: {step.GetProperty("name").GetString()}");
                why.AppendLine($"  expected: {step.GetProperty("expected").GetString()}");
                why.AppendLine($"  actual:   {step.GetProperty("actual").GetString()}");
                foreach (var c in step.GetProperty("checks").EnumerateArray().Where(c => !c.GetProperty("passed").GetBoolean()))
                    why.AppendLine($"  failed check: {c.GetProperty("what").GetString()}");
                foreach (var l in step.GetProperty("client").EnumerateArray())
                    why.AppendLine($"  client: {l.GetString()}");
                foreach (var l in step.GetProperty("debug").EnumerateArray())
                    why.AppendLine($"  debug: {l.GetString()}");
            }
            return why.Append(error).ToString();
        }
    }

    /// <summary>From the text report: each failed step's section (heading to PASS/FAIL) and the summary's FAILED lines.</summary>
    public static string FromText(string output, string error)
    {
        var why = new StringBuilder("pgate demo failed\n");
        var section = new List<string>();
        foreach (var line in output.Split('\n').Select(l => l.TrimEnd('\r')))
        {
            if (line.StartsWith("=== ", StringComparison.Ordinal))
                section.Clear();
            section.Add(line);
            if (line == "FAIL")
                why.AppendJoin('\n', section.Where(l => !l.StartsWith("  [ok]", StringComparison.Ordinal))).Append('\n');
            else if (line.StartsWith("  FAILED: ", StringComparison.Ordinal) || line.StartsWith("pgate demo: ", StringComparison.Ordinal))
                why.AppendLine(line);
        }
        return why.Append(error).ToString();
    }
}
