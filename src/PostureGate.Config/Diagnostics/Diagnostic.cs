// One configuration finding, printed compiler-style (`file:line:col: error: message; hint`) so editors can jump to it.
namespace PostureGate.Config;

/// <summary>
/// One finding, printed the way compilers print them so editors can jump to it:
/// <c>file:line:col: error: message; hint</c>.
/// </summary>
public sealed record Diagnostic(DiagnosticSeverity Severity, SourceSpan Span, string Message, string? Hint = null)
{
    public bool IsError => Severity == DiagnosticSeverity.Error;

    public override string ToString()
    {
        var sev = Severity == DiagnosticSeverity.Error ? "error" : "warning";
        return Hint is null ? $"{Span}: {sev}: {Message}" : $"{Span}: {sev}: {Message}; {Hint}";
    }
}
