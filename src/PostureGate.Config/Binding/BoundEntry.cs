// One type-checked FortiOS CLI table entry or settings section: typed values by attribute, with their source tokens — PostureGate's binder.
using PostureGate.Config.Schema;
using PostureGate.Config.Syntax;

namespace PostureGate.Config.Binding;

/// <summary>
/// One table entry (or a settings section) after type checking: typed values by
/// attribute index, and the token index each came from (spans are made only
/// when a diagnostic needs one). What the model builder and the printer read.
/// </summary>
internal sealed class BoundEntry
{
    private readonly DocumentSyntax? _doc;
    private readonly object?[] _values;
    private readonly int[] _attributeToken;
    private readonly int[] _firstValueToken;

    public BoundEntry(TableSchema table, string? name, SourceSpan span, DocumentSyntax? doc)
    {
        Table = table;
        Name = name;
        Span = span;
        _doc = doc;
        _values = new object?[table.Attributes.Count];
        _attributeToken = new int[table.Attributes.Count];
        _firstValueToken = new int[table.Attributes.Count];
    }

    private List<(string Name, string Values)>? _fortiOsAttributes;
    private List<string>? _fortiOsTables;

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
    public SourceSpan SpanOf(AttributeSchema a) =>
        _values[a.Index] is null || _doc is null ? Span : SpanOfToken(_attributeToken[a.Index]);

    /// <summary>Where value <paramref name="i"/> of the attribute was written (the attribute when unknown).</summary>
    public SourceSpan SpanOfValue(AttributeSchema a, int i = 0) =>
        _values[a.Index] is null || _doc is null || _firstValueToken[a.Index] < 0 ? SpanOf(a) : SpanOfToken(_firstValueToken[a.Index] + i);

    public void Set(AttributeSchema a, object value, int attributeToken, int firstValueToken)
    {
        _values[a.Index] = value;
        _attributeToken[a.Index] = attributeToken;
        _firstValueToken[a.Index] = firstValueToken;
    }

    public void Unset(AttributeSchema a) => _values[a.Index] = null;

    /// <summary>Set with a value that was rejected (already reported).</summary>
    public bool IsInvalid(AttributeSchema a) => _attributeToken[a.Index] < 0;

    public void MarkInvalid(AttributeSchema a)
    {
        _values[a.Index] = null;
        _attributeToken[a.Index] = -1;
    }

    /// <summary>
    /// FortiOS attributes PostureGate does not read (Schema/FortiOsAttributes.cs), each with its
    /// values as written, in file order: `config show` prints them back.
    /// </summary>
    public IReadOnlyList<(string Name, string Values)> FortiOsAttributes => (IReadOnlyList<(string, string)>?)_fortiOsAttributes ?? [];

    /// <summary>FortiOS sub-tables (<c>config ipv6</c> … <c>end</c>) as written.</summary>
    public IReadOnlyList<string> FortiOsTables => (IReadOnlyList<string>?)_fortiOsTables ?? [];

    /// <summary>set (replace), append (add to) or, with null, unset a FortiOS attribute.</summary>
    public void SetFortiOs(string name, string? values, bool append)
    {
        _fortiOsAttributes ??= [];
        var i = _fortiOsAttributes.FindIndex(a => a.Name == name);
        if (values is null)
        {
            if (i >= 0)
                _fortiOsAttributes.RemoveAt(i);
        }
        else if (i < 0)
            _fortiOsAttributes.Add((name, values));
        else
            _fortiOsAttributes[i] = (name, append ? _fortiOsAttributes[i].Values + " " + values : values);
    }

    public void AddFortiOsTable(string text) => (_fortiOsTables ??= []).Add(text);

    private SourceSpan SpanOfToken(int index)
    {
        var t = _doc!.Tokens[index];
        return new SourceSpan(_doc.FileName, t.Line, t.Column);
    }
}
