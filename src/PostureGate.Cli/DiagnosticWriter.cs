// How pgate prints configuration diagnostics: compiler-style file:line:col lines, then a one-line summary — PostureGate's own.
using PostureGate.Config;

namespace PostureGate.Cli;

/// <summary>The one place diagnostics are printed: compiler style, then a one-line summary.</summary>
internal static class DiagnosticWriter
{
    public static void Write(TextWriter output, IEnumerable<Diagnostic> diagnostics)
    {
        foreach (var d in diagnostics)
            output.WriteLine(d.ToString());
    }

    public static void WriteSummary(TextWriter output, string file, LoadResult result)
    {
        var errors = result.Errors.Count();
        var warnings = result.Warnings.Count();
        output.WriteLine(errors == 0
            ? $"{file}: OK ({Plural(warnings, "warning")})"
            : $"{file}: {Plural(errors, "error")}, {Plural(warnings, "warning")}");
    }

    private static string Plural(int n, string word) => n == 1 ? $"1 {word}" : $"{n} {word}s";
}
