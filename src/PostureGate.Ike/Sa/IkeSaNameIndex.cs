// The manager's name lookups (`diagnose vpn ike gateway list|clear NAME`, DeleteAsync, rekeys):
// SAs by their shown name (the dial-up instance `dialup_0`, or the phase 1 name until one is
// assigned) and by their phase 1, kept current when a name is assigned and when an SA goes, so a
// lookup reads one bucket instead of scanning the table.
namespace PostureGate.Ike.Sa;

internal sealed class IkeSaNameIndex
{
    private readonly Dictionary<string, HashSet<IkeSa>> _byLogName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<IkeSa>> _byPhase1 = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>An SA enters the table: indexed by its phase 1 and its current shown name.</summary>
    public void Add(IkeSa sa)
    {
        lock (_lock)
        {
            Insert(_byPhase1, sa.Config.Name, sa);
            Insert(_byLogName, sa.LogName, sa);
        }
    }

    /// <summary>The SA's shown name changes (its instance is assigned): moved to the new bucket.</summary>
    public void Rename(IkeSa sa, string oldLogName)
    {
        if (string.Equals(oldLogName, sa.LogName, StringComparison.Ordinal))
            return;
        lock (_lock)
        {
            if (Delete(_byLogName, oldLogName, sa))
                Insert(_byLogName, sa.LogName, sa);
        }
    }

    /// <summary>The SA leaves the table.</summary>
    public void Remove(IkeSa sa)
    {
        lock (_lock)
        {
            Delete(_byPhase1, sa.Config.Name, sa);
            Delete(_byLogName, sa.LogName, sa);
        }
    }

    /// <summary>SAs shown under <paramref name="name"/>.</summary>
    public IkeSa[] ByLogName(string name)
    {
        lock (_lock)
            return _byLogName.TryGetValue(name, out var list) ? [.. list] : [];
    }

    /// <summary>SAs shown under <paramref name="name"/> or belonging to the phase 1 of that name, each once.</summary>
    public IkeSa[] ByLogNameOrPhase1(string name)
    {
        lock (_lock)
        {
            _byLogName.TryGetValue(name, out var shown);
            _byPhase1.TryGetValue(name, out var phase1);
            if (phase1 is null)
                return shown is null ? [] : [.. shown];
            if (shown is null)
                return [.. phase1];
            var both = new HashSet<IkeSa>(phase1);
            both.UnionWith(shown);
            return [.. both];
        }
    }

    private static void Insert(Dictionary<string, HashSet<IkeSa>> index, string key, IkeSa sa)
    {
        if (!index.TryGetValue(key, out var list))
            index[key] = list = [];
        list.Add(sa);
    }

    private static bool Delete(Dictionary<string, HashSet<IkeSa>> index, string key, IkeSa sa)
    {
        if (!index.TryGetValue(key, out var list) || !list.Remove(sa))
            return false;
        if (list.Count == 0)
            index.Remove(key);
        return true;
    }
}
