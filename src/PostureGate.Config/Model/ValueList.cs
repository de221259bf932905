// An immutable list with content equality, so configuration records compare structurally (parse(print(x)) == x) — PostureGate's own.
using System.Collections;

namespace PostureGate.Config.Model;

/// <summary>
/// An immutable list that compares by content, so records holding lists keep
/// structural equality (parse(print(x)) == x is checked with plain Equals).
/// </summary>
public sealed class ValueList<T> : IReadOnlyList<T>, IEquatable<ValueList<T>>
{
    private readonly T[] _items;

    public static ValueList<T> Empty { get; } = new([]);

    public ValueList(T[] items) => _items = items;

    public ValueList(IEnumerable<T> items) => _items = items.ToArray();

    public int Count => _items.Length;

    public T this[int index] => _items[index];

    public ReadOnlySpan<T> AsSpan() => _items;

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    public bool Equals(ValueList<T>? other)
    {
        if (other is null || other._items.Length != _items.Length)
            return false;
        var cmp = EqualityComparer<T>.Default;
        for (var i = 0; i < _items.Length; i++)
        {
            if (!cmp.Equals(_items[i], other._items[i]))
                return false;
        }
        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as ValueList<T>);

    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var item in _items)
            h.Add(item);
        return h.ToHashCode();
    }

    public override string ToString() => string.Join(' ', _items);
}
