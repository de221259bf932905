// The bound entries of one FortiOS CLI configuration path (`config …` table), in file order, indexed by `edit` name.
using PostureGate.Config.Schema;

namespace PostureGate.Config.Binding;

/// <summary>The entries of one configuration path, in file order, with a name index.</summary>
internal sealed class BoundTable(TableSchema schema)
{
    private readonly Dictionary<string, BoundEntry> _byName = new(StringComparer.Ordinal);

    public TableSchema Schema { get; } = schema;
    public List<BoundEntry> Entries { get; } = [];

    public BoundEntry? Find(string name) => _byName.GetValueOrDefault(name);

    public void Add(BoundEntry entry)
    {
        Entries.Add(entry);
        if (entry.Name is not null)
            _byName[entry.Name] = entry;
    }
}
