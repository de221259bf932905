// One attribute of a FortiOS CLI table: its name, value type, limits and FortiOS default.
namespace PostureGate.Config.Schema;

/// <summary>One attribute of a table: its FortiOS name, value type, limits and default.</summary>
internal sealed class AttributeSchema
{
    internal AttributeSchema(TableSchema table, string name, ValueKind kind, int index)
    {
        Table = table;
        Name = name;
        Kind = kind;
        Index = index;
    }

    public TableSchema Table { get; }
    public string Name { get; }
    public ValueKind Kind { get; }
    /// <summary>Position in the table: bound entries keep values in an array by this index.</summary>
    public int Index { get; }
    /// <summary>The typed default (as <see cref="ValueParser"/> produces it), or null when FortiOS has none.</summary>
    public object? Default { get; internal set; }
    public long Min { get; internal set; }
    public long Max { get; internal set; }
    public int MaxLength { get; internal set; } = 255;
    public string[] Words { get; internal set; } = [];
    public object[] EnumValues { get; internal set; } = [];
    /// <summary>A list of option words FortiOS prints bare (<c>set allowaccess ping https</c>), not quoted names.</summary>
    public bool BareWords { get; internal set; }

    public bool IsList => Kind is ValueKind.StringList or ValueKind.Phase1Proposals or ValueKind.Phase2Proposals or ValueKind.DhGroups;

    public override string ToString() => Name;
}
