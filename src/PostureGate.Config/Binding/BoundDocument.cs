// The bound tables of one FortiOS CLI configuration file, keyed by table schema — PostureGate's config binder.
using PostureGate.Config.Schema;

namespace PostureGate.Config.Binding;

/// <summary>All bound tables of one file, keyed by schema.</summary>
internal sealed class BoundDocument
{
    private readonly Dictionary<TableSchema, BoundTable> _tables = [];

    public BoundTable this[TableSchema schema]
    {
        get
        {
            if (!_tables.TryGetValue(schema, out var t))
                _tables[schema] = t = new BoundTable(schema);
            return t;
        }
    }

    public bool Has(TableSchema schema) => _tables.ContainsKey(schema);

    /// <summary>A settings section as one entry; an unset section yields all defaults.</summary>
    public BoundEntry Section(TableSchema schema, string file)
    {
        var t = this[schema];
        if (t.Entries.Count == 0)
            t.Add(new BoundEntry(schema, null, new SourceSpan(file, 0, 0), null));
        return t.Entries[0];
    }
}
