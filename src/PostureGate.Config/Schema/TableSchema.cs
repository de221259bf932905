// A FortiOS CLI configuration path: table of edits or settings section, its key, and its attributes in FortiOS print order.
using System.Collections.Frozen;
using System.Globalization;

namespace PostureGate.Config.Schema;

/// <summary>
/// A FortiOS configuration path (<c>vpn ipsec phase1-interface</c>): whether it is a
/// table of edits or a settings section, how entries are keyed, and its attributes
/// in FortiOS's print order. The tables themselves are data in *Schema.cs files.
/// </summary>
internal sealed class TableSchema
{
    private readonly List<AttributeSchema> _attributes = [];
    private FrozenDictionary<string, AttributeSchema>.AlternateLookup<ReadOnlySpan<char>>? _byName;

    public TableSchema(string path, bool isTable, int maxNameLength = 35, long minKey = -1, long maxKey = -1)
    {
        Path = path;
        IsTable = isTable;
        MaxNameLength = maxNameLength;
        MinKey = minKey;
        MaxKey = maxKey;
    }

    public string Path { get; }
    public bool IsTable { get; }
    /// <summary>FortiOS limits entry names per table (e.g. 15 for phase1-interface, an interface name).</summary>
    public int MaxNameLength { get; }
    /// <summary>Numbered tables (<c>firewall policy</c>, <c>endpoint-control fctems</c>) take ids in [MinKey, MaxKey].</summary>
    public bool IsNumbered => MinKey >= 0;
    public long MinKey { get; }
    public long MaxKey { get; }
    public IReadOnlyList<AttributeSchema> Attributes => _attributes;
    /// <summary>Where PostureGate departs from FortiOS for this table: printed under its heading in docs/configuration.md.</summary>
    public string? Note { get; init; }

    public AttributeSchema? Find(ReadOnlySpan<char> name)
    {
        // Built on first use, once every attribute field of the *Schema class is initialised.
        _byName ??= _attributes.ToFrozenDictionary(a => a.Name, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        return _byName.Value.TryGetValue(name, out var a) ? a : null;
    }

    public IEnumerable<string> AttributeNames => _attributes.Select(a => a.Name);

    public AttributeSchema String(string name, string? defaultValue = null, int maxLength = 255)
    {
        var a = Add(name, ValueKind.String);
        a.MaxLength = maxLength;
        a.Default = defaultValue;
        return a;
    }

    public AttributeSchema Strings(string name) => Add(name, ValueKind.StringList);

    /// <summary>A list of option words, printed bare as FortiOS does; which words are valid the builder decides.</summary>
    public AttributeSchema OptionWords(string name)
    {
        var a = Add(name, ValueKind.StringList);
        a.BareWords = true;
        return a;
    }

    public AttributeSchema Secret(string name) => Add(name, ValueKind.Secret);

    public AttributeSchema Ipv4(string name, string? defaultValue = null) => WithDefault(Add(name, ValueKind.Ipv4), defaultValue);

    public AttributeSchema Ipv4Prefix(string name, string? defaultValue = null) => WithDefault(Add(name, ValueKind.Ipv4Prefix), defaultValue);

    public AttributeSchema Netmask(string name, string? defaultValue = null) => WithDefault(Add(name, ValueKind.Netmask), defaultValue);

    public AttributeSchema Integer(string name, long min, long max, long? defaultValue = null)
    {
        var a = Add(name, ValueKind.Integer);
        a.Min = min;
        a.Max = max;
        a.Default = defaultValue is { } d ? (object)d : null;
        return a;
    }

    public AttributeSchema Toggle(string name, bool defaultValue)
    {
        var a = Add(name, ValueKind.Toggle);
        a.Default = defaultValue;
        return a;
    }

    /// <summary>
    /// An enumerated attribute: the FortiOS words, each mapped to the member of
    /// <typeparamref name="T"/> whose name matches ignoring case and hyphens
    /// ("on-idle" → OnIdle, "ipmask" → IpMask).
    /// </summary>
    public AttributeSchema Enum<T>(string name, T defaultValue, params string[] words) where T : struct, System.Enum
    {
        var a = Add(name, ValueKind.Enum);
        a.Words = words;
        a.EnumValues = words.Select(w => (object)MapWord<T>(w)).ToArray();
        a.Default = defaultValue;
        return a;
    }

    public AttributeSchema Proposals(string name, bool phase1, string defaultValue) =>
        WithDefault(Add(name, phase1 ? ValueKind.Phase1Proposals : ValueKind.Phase2Proposals), defaultValue);

    public AttributeSchema DhGroups(string name, string defaultValue) => WithDefault(Add(name, ValueKind.DhGroups), defaultValue);

    private AttributeSchema Add(string name, ValueKind kind)
    {
        var a = new AttributeSchema(this, name, kind, _attributes.Count);
        _attributes.Add(a);
        return a;
    }

    private static AttributeSchema WithDefault(AttributeSchema a, string? defaultText)
    {
        if (defaultText is null)
            return a;
        // Defaults are written the way a user would type them and parsed by the same code;
        // a default the parser rejects is a programming error, caught by the first test run.
        var words = defaultText.Split(' ');
        a.Default = ValueParser.ParseDefault(a, words)
            ?? throw new InvalidOperationException($"bad default '{defaultText}' for {a.Table.Path} {a.Name}");
        return a;
    }

    private static T MapWord<T>(string word) where T : struct, System.Enum
    {
        var key = word.Replace("-", "", StringComparison.Ordinal).Replace("+", "plus", StringComparison.Ordinal);
        foreach (var value in System.Enum.GetValues<T>())
        {
            if (string.Equals(value.ToString(), key, StringComparison.OrdinalIgnoreCase))
                return value;
        }
        throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"no {typeof(T).Name} member for '{word}'"));
    }
}
