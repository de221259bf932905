// Where a configuration object or mistake came from, printed as file:line:col (1-based) — PostureGate's own.
namespace PostureGate.Config;

/// <summary>Where a configuration object or mistake came from: 1-based line and column.</summary>
public readonly record struct SourceSpan(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}
