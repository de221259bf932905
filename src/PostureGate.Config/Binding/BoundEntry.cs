using PostureGate.Config.Schema;

namespace PostureGate.Config.Binding;

/// <summary>
/// One table entry (or a settings section) after type checking: typed values by
/// attribute index, and where each was set. What the model builder and the printer read.
/// </summary>
internal sealed class BoundEntry
{
    private readonly object?[] _values;
    private readonly SourceSpan[] _spans;

    public BoundEntry(TableSchema table, string? name, SourceSpan span)
    {
        Table = table;
        Name = name;
        Span = span;
        _values = new object?[table.Attributes.Count];
        _spans = new SourceSpan[table.Attributes.Count];
    }

    public TableSchema Table { get; }
    /// <summary>The edit name or id; null for a settings section.</summary>
    public string? Name { get; }
    public SourceSpan Span { get; }

    public bool IsSet(AttributeSchema a) => _values[a.Index] is not null;

    /// <summary>The explicitly set value, or null.</summary>
    public object? GetExplicit(AttributeSchema a) => _values[a.Index];

    /// <summary>The set value, else the schema default, else null.</summary>
    public object? Get(AttributeSchema a) => _values[a.Index] ?? a.Default;

    /// <summary>Where the attribute was set; the entry's own position when it was not.</summary>
    public SourceSpan SpanOf(AttributeSchema a) => _values[a.Index] is null ? Span : _spans[a.Index];

    public void Set(AttributeSchema a, object value, SourceSpan span)
    {
        _values[a.Index] = value;
        _spans[a.Index] = span;
    }

    public void Unset(AttributeSchema a) => _values[a.Index] = null;
}
