// How `pgate demo` prints a step: for people, the seed's layout (each diagnose output under
// the seed command that produced it); for machines, one JSON document for the whole run.
using System.Text.Json;

namespace PostureGate.Cli.Demo;

public static class DemoReport
{
    public static void WriteText(TextWriter o, DemoStep s)
    {
        o.WriteLine();
        o.WriteLine($"=== {s.Name}");
        o.WriteLine($"expected: {s.Expected}");
        o.WriteLine($"actual:   {s.Actual}");
        if (s.Client.Count > 0)
        {
            o.WriteLine("client:");
            foreach (var l in s.Client)
                o.WriteLine("    " + l);
        }
        if (s.Debug.Count > 0)
        {
            o.WriteLine("# diagnose debug application ike -1");
            o.WriteLine("# diagnose debug enable");
            foreach (var l in s.Debug)
                o.WriteLine(l);
        }
        foreach (var (command, output) in s.Diagnose)
        {
            o.WriteLine($"# {command}");
            o.Write(output.EndsWith('\n') ? output : output + "\n");
        }
        foreach (var c in s.Checks)
            o.WriteLine($"  [{(c.Passed ? "ok" : "FAIL")}] {c.What}");
        o.WriteLine(s.Passed ? "PASS" : "FAIL");
        o.Flush();
    }

    public static void WriteSummary(TextWriter o, IReadOnlyList<DemoStep> steps)
    {
        o.WriteLine();
        o.WriteLine($"{steps.Count(s => s.Passed)}/{steps.Count} steps behaved as the seed says.");
        foreach (var s in steps.Where(s => !s.Passed))
            o.WriteLine($"  FAILED: {s.Name}: {string.Join("; ", s.Checks.Where(c => !c.Passed).Select(c => c.What))}");
    }

    public static string ToJson(IReadOnlyList<DemoStep> steps, string? error = null) => JsonSerializer.Serialize(new
    {
        passed = error is null && steps.Count > 0 && steps.All(s => s.Passed),
        error,
        steps = steps.Select(s => new
        {
            name = s.Name,
            expected = s.Expected,
            actual = s.Actual,
            passed = s.Passed,
            checks = s.Checks.Select(c => new { what = c.What, passed = c.Passed }),
            client = s.Client,
            debug = s.Debug,
            diagnose = s.Diagnose.Select(d => new { command = d.Key, output = d.Value }),
        }),
    }, new JsonSerializerOptions { WriteIndented = true });
}
