// Built configuration objects by name, remembering file order for printing — PostureGate's model builder.
namespace PostureGate.Config.Building;

/// <summary>Built objects by name, remembering file order (Dictionary enumeration order is not guaranteed).</summary>
internal sealed class OrderedMap<T> where T : class
{
    private readonly Dictionary<string, T> _byName = new(StringComparer.Ordinal);
    private readonly List<T> _values = [];

    public IReadOnlyList<T> Values => _values;

    public IEnumerable<string> Keys => _byName.Keys;

    public void Add(string name, T value)
    {
        _byName[name] = value;
        _values.Add(value);
    }

    public bool TryGet(string name, out T value) => _byName.TryGetValue(name, out value!);
}
