// The entries of a FortiOS CLI table in file order, looked up by `edit` key; equality by content — PostureGate's own.
using System.Collections;

namespace PostureGate.Config.Model;

/// <summary>The entries of a table in file order, with lookup by key; equality by content.</summary>
public sealed class NamedTable<T> : IReadOnlyList<T>, IEquatable<NamedTable<T>> where T : IKeyed
{
    private readonly ValueList<T> _items;
    // A plain Dictionary: FrozenDictionary's construction costs more than the lookups it saves here.
    private readonly Dictionary<string, T> _byKey;

    public static NamedTable<T> Empty { get; } = new([]);

    public NamedTable(IEnumerable<T> items)
    {
        _items = new ValueList<T>(items);
        _byKey = new Dictionary<string, T>(_items.Count, StringComparer.Ordinal);
        foreach (var item in _items)
            _byKey[item.Key] = item;
    }

    public int Count => _items.Count;

    public T this[int index] => _items[index];

    /// <summary>The entry with this key; throws when absent (use <see cref="TryGet"/> for user input).</summary>
    public T this[string key] => _byKey[key];

    public bool TryGet(string key, out T value) => _byKey.TryGetValue(key, out value!);

    public T? Find(string key) => _byKey.TryGetValue(key, out var v) ? v : default;

    public IEnumerator<T> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(NamedTable<T>? other) => other is not null && _items.Equals(other._items);

    public override bool Equals(object? obj) => Equals(obj as NamedTable<T>);

    public override int GetHashCode() => _items.GetHashCode();
}
