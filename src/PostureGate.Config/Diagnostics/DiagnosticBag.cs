// Collects configuration findings from every stage, so a user sees all mistakes at once — PostureGate's own.
namespace PostureGate.Config;

/// <summary>Collects findings from every stage so the user sees all mistakes at once (Tomlyn's approach).</summary>
internal sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = [];

    public DiagnosticBag(string file) => File = file;

    public string File { get; }

    public int ErrorCount { get; private set; }

    public void Error(int line, int column, string message, string? hint = null) =>
        Add(new Diagnostic(DiagnosticSeverity.Error, new SourceSpan(File, line, column), message, hint));

    public void Error(SourceSpan span, string message, string? hint = null) =>
        Add(new Diagnostic(DiagnosticSeverity.Error, span, message, hint));

    public void Warning(SourceSpan span, string message, string? hint = null) =>
        Add(new Diagnostic(DiagnosticSeverity.Warning, span, message, hint));

    public void Add(Diagnostic d)
    {
        _items.Add(d);
        if (d.IsError)
            ErrorCount++;
    }

    /// <summary>In source order; a stable sort keeps same-position findings in the order they were found.</summary>
    public IReadOnlyList<Diagnostic> ToSortedList() =>
        _items.OrderBy(d => d.Span.Line).ThenBy(d => d.Span.Column).ToArray();
}
