// Base of every configuration model object: its source position, kept out of equality so a printed and re-read config is equal.
namespace PostureGate.Config.Model;

/// <summary>
/// Base of every model object: it remembers where it was defined, for diagnostics
/// of later layers. Where it came from is provenance, not content, so the span is
/// left out of equality: a configuration printed and read back equals the original.
/// </summary>
public abstract record ConfigObject
{
    public SourceSpan Span { get; init; }

    public virtual bool Equals(ConfigObject? other) => other is not null && EqualityContract == other.EqualityContract;

    public override int GetHashCode() => EqualityContract.GetHashCode();
}
