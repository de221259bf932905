// The endpoints and tags one EMS connector (`config endpoint-control fctems`, entry n) has
// synchronised, indexed so that "does EMS<n>_ZTNA_<tag> resolve IPv4 x" is two hash lookups
// whatever the number of endpoints: each tag keeps a count per IPv4 (and per MAC) of the
// endpoints holding it, so two endpoints behind the same address don't unresolve each other.
// Writers (snapshot, push events, live lookups) and readers share one lock; every operation
// under it is O(tags of one endpoint), except the snapshot swap.
// A live lookup's answer carries no EMS version; it reflects the EMS at least as of the store's
// version when it was asked, so it is taken only if no pushed change for that endpoint is newer
// than that (a removal pushed while the lookup was in flight is never undone by it).
// A batch (changes that arrived together) raises one Changed at its end with each endpoint's
// net move — first before, last after — so no one judges against a state already superseded.
namespace PostureGate.Posture;

public sealed class ConnectorTagStore
{
    private readonly Lock _lock = new();
    private Dictionary<string, EndpointEntry> _byUid = new(StringComparer.Ordinal);
    // Usually one endpoint per address; the rare second one goes to _sharedIps.
    private Dictionary<uint, string> _uidByIp = [];
    private Dictionary<uint, List<string>> _sharedIps = [];
    private readonly Dictionary<string, TagEntry> _tags = new(StringComparer.Ordinal);
    // The version of the last pushed change per UID since the snapshot (removals included); the
    // others stand as of the snapshot. Cleared by each snapshot.
    private readonly Dictionary<string, long> _changedAt = new(StringComparer.Ordinal);
    private long _snapshotVersion;
    private int _nextTagId = 1;
    // While a batch is open, the deltas it has made so far (Changed waits for its end).
    private List<EndpointDelta>? _batch;

    public ConnectorTagStore(int connectorId)
    {
        ConnectorId = connectorId;
    }

    public int ConnectorId { get; }

    /// <summary>The EMS change version the store reflects (snapshot version, then each event's).</summary>
    public long Version
    {
        get
        {
            lock (_lock)
                return _version;
        }
        private set => _version = value;
    }

    private long _version;

    public int EndpointCount
    {
        get
        {
            lock (_lock)
                return _byUid.Count;
        }
    }

    /// <summary>Raised after a change, outside the lock, with every endpoint whose record moved.</summary>
    public event Action<IReadOnlyList<EndpointDelta>>? Changed;

    /// <summary>O(1): does the tag resolve this endpoint address.</summary>
    public bool Resolves(string tag, uint ipv4)
    {
        lock (_lock)
            return _tags.TryGetValue(tag, out var entry) && entry.Ips.ContainsKey(ipv4);
    }

    public bool ResolvesMac(string tag, string mac)
    {
        lock (_lock)
            return _tags.TryGetValue(tag, out var entry) && entry.Macs.ContainsKey(mac.ToLowerInvariant());
    }

    public bool TryGetByUid(string uid, out EndpointEntry entry)
    {
        lock (_lock)
            return _byUid.TryGetValue(uid, out entry!);
    }

    /// <summary>The endpoint at this address (the first one when several share it).</summary>
    public bool TryGetByIp(uint ipv4, out EndpointEntry entry)
    {
        lock (_lock)
        {
            if (_uidByIp.TryGetValue(ipv4, out var uid))
                return _byUid.TryGetValue(uid, out entry!);
            entry = null!;
            return false;
        }
    }

    /// <summary>The tag's id (FortiOS "NAME: ID(n)"), allocating one for a new tag.</summary>
    public int DefineTag(string tag)
    {
        lock (_lock)
            return GetOrAddTag(tag).Id;
    }

    /// <summary>Adds or replaces one endpoint: a push event of EMS change <paramref name="version"/>.</summary>
    public void Upsert(EndpointEntry entry, long version = 0)
    {
        ArgumentNullException.ThrowIfNull(entry);
        EndpointDelta delta;
        lock (_lock)
        {
            if (version > 0)
                _changedAt[entry.Uid] = version;
            delta = Put(entry);
            if (version > Version)
                Version = version;
            if (Deferred(delta))
                return;
        }
        Changed?.Invoke([delta]);
    }

    /// <summary>
    /// A live lookup's answer, asked when the store was at <paramref name="askedAt"/>: taken
    /// (true) unless a change pushed for that endpoint since is newer — then the store's view
    /// stands and <paramref name="current"/> is it (null: the endpoint was removed).
    /// </summary>
    public bool TryApplyLookup(EndpointEntry answer, long askedAt, out EndpointEntry? current)
    {
        ArgumentNullException.ThrowIfNull(answer);
        EndpointDelta delta;
        lock (_lock)
        {
            if (_changedAt.GetValueOrDefault(answer.Uid, _snapshotVersion) > askedAt)
            {
                current = _byUid.GetValueOrDefault(answer.Uid);
                return false;
            }
            delta = Put(answer);
            current = answer;
            if (Deferred(delta))
                return true;
        }
        Changed?.Invoke([delta]);
        return true;
    }

    private EndpointDelta Put(EndpointEntry entry)
    {
        _byUid.TryGetValue(entry.Uid, out var before);
        if (before is not null)
            Unindex(before);
        _byUid[entry.Uid] = entry;
        Index(entry);
        return new EndpointDelta(ConnectorId, entry.Uid, before, entry);
    }

    public bool Remove(string uid, long version = 0)
    {
        EndpointDelta delta;
        lock (_lock)
        {
            if (version > 0)
                _changedAt[uid] = version;
            if (version > Version)
                Version = version;
            if (!_byUid.Remove(uid, out var before))
                return false;
            Unindex(before);
            delta = new EndpointDelta(ConnectorId, uid, before, null);
            if (Deferred(delta))
                return true;
        }
        Changed?.Invoke([delta]);
        return true;
    }

    /// <summary>Replaces everything with a snapshot; tag ids survive so diagnose output stays stable.</summary>
    public void ReplaceAll(long version, IEnumerable<EndpointEntry> endpoints, IEnumerable<string>? tagNames = null)
    {
        var deltas = new List<EndpointDelta>();
        lock (_lock)
        {
            var old = _byUid;
            _byUid = new Dictionary<string, EndpointEntry>(old.Count, StringComparer.Ordinal);
            _uidByIp = new Dictionary<uint, string>(old.Count);
            _sharedIps = [];
            foreach (var tag in _tags.Values)
            {
                tag.Ips.Clear();
                tag.Macs.Clear();
            }
            foreach (var name in tagNames ?? [])
                GetOrAddTag(name);
            foreach (var entry in endpoints)
            {
                if (_byUid.TryGetValue(entry.Uid, out var duplicate))
                    Unindex(duplicate);
                _byUid[entry.Uid] = entry;
                Index(entry);
            }
            foreach (var (uid, before) in old)
            {
                _byUid.TryGetValue(uid, out var after);
                if (!ReferenceEquals(before, after) && before != after)
                    deltas.Add(new EndpointDelta(ConnectorId, uid, before, after));
            }
            foreach (var (uid, after) in _byUid)
            {
                if (!old.ContainsKey(uid))
                    deltas.Add(new EndpointDelta(ConnectorId, uid, null, after));
            }
            Version = version;
            _snapshotVersion = version;
            _changedAt.Clear();
            if (_batch is not null)
            {
                _batch.AddRange(deltas);
                return;
            }
        }
        if (deltas.Count > 0)
            Changed?.Invoke(deltas);
    }

    /// <summary>
    /// Opens a batch: the changes applied until it is disposed raise one <see cref="Changed"/>
    /// then, with each endpoint's net move (an endpoint back where it was still counts: it is
    /// re-judged, never skipped). Batches do not nest.
    /// </summary>
    public IDisposable BeginBatch()
    {
        lock (_lock)
        {
            if (_batch is not null)
                throw new InvalidOperationException("a change batch is already open");
            _batch = [];
        }
        return new Batch(this);
    }

    private void EndBatch()
    {
        var merged = new List<EndpointDelta>();
        lock (_lock)
        {
            var at = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var delta in _batch ?? [])
            {
                if (at.TryGetValue(delta.Uid, out var i))
                    merged[i] = merged[i] with { After = delta.After };
                else
                {
                    at[delta.Uid] = merged.Count;
                    merged.Add(delta);
                }
            }
            _batch = null;
        }
        // Added and removed within the batch: the store never showed it, nothing to re-judge.
        merged.RemoveAll(d => d.Before is null && d.After is null);
        if (merged.Count > 0)
            Changed?.Invoke(merged);
    }

    // Under _lock: keeps the delta for the open batch's end, if there is one.
    private bool Deferred(EndpointDelta delta)
    {
        if (_batch is null)
            return false;
        _batch.Add(delta);
        return true;
    }

    private sealed class Batch(ConnectorTagStore store) : IDisposable
    {
        private int _ended;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 0)
                store.EndBatch();
        }
    }

    public IReadOnlyList<EndpointEntry> Endpoints()
    {
        lock (_lock)
            return [.. _byUid.Values];
    }

    /// <summary>Dynamic addresses for `diagnose firewall dynamic list`, ordered by tag id.</summary>
    public IReadOnlyList<DynamicAddress> DynamicAddresses()
    {
        lock (_lock)
        {
            return _tags.Values
                .OrderBy(t => t.Id)
                .Select(t => new DynamicAddress(
                    new DynamicAddressName(ConnectorId, t.Name),
                    t.Id,
                    [.. t.Ips.Keys.Order().Select(Ipv4Address.FromUInt32)],
                    [.. t.Macs.Keys.Order(StringComparer.Ordinal)]))
                .ToList();
        }
    }

    private TagEntry GetOrAddTag(string tag)
    {
        if (!_tags.TryGetValue(tag, out var entry))
        {
            entry = new TagEntry(_nextTagId++, tag);
            _tags.Add(tag, entry);
        }
        return entry;
    }

    private void Index(EndpointEntry entry)
    {
        var ip = entry.Ipv4;
        if (ip is { } v)
        {
            if (!_uidByIp.TryAdd(v, entry.Uid))
            {
                if (!_sharedIps.TryGetValue(v, out var others))
                    _sharedIps[v] = others = [];
                others.Add(entry.Uid);
            }
        }
        foreach (var name in entry.Tags)
        {
            var tag = GetOrAddTag(name);
            if (ip is { } a)
                tag.Ips[a] = tag.Ips.GetValueOrDefault(a) + 1;
            foreach (var mac in Macs(entry))
                tag.Macs[mac] = tag.Macs.GetValueOrDefault(mac) + 1;
        }
    }

    private void Unindex(EndpointEntry entry)
    {
        var ip = entry.Ipv4;
        if (ip is { } v)
        {
            if (_sharedIps.TryGetValue(v, out var others) && others.Remove(entry.Uid))
            {
                if (others.Count == 0)
                    _sharedIps.Remove(v);
            }
            else if (_uidByIp.TryGetValue(v, out var owner) && owner == entry.Uid)
            {
                _uidByIp.Remove(v);
                // Promote another endpoint at the same address.
                if (_sharedIps.TryGetValue(v, out var rest) && rest.Count > 0)
                {
                    _uidByIp[v] = rest[^1];
                    rest.RemoveAt(rest.Count - 1);
                    if (rest.Count == 0)
                        _sharedIps.Remove(v);
                }
            }
        }
        foreach (var name in entry.Tags)
        {
            if (!_tags.TryGetValue(name, out var tag))
                continue;
            if (ip is { } a)
                Decrement(tag.Ips, a);
            foreach (var mac in Macs(entry))
                Decrement(tag.Macs, mac);
        }
    }

    private static IEnumerable<string> Macs(EndpointEntry entry)
    {
        if (entry.Mac is { Length: > 0 } mac)
            yield return mac.ToLowerInvariant();
        foreach (var m in entry.Macs)
        {
            if (!string.Equals(m, entry.Mac, StringComparison.OrdinalIgnoreCase))
                yield return m.ToLowerInvariant();
        }
    }

    private static void Decrement<TKey>(Dictionary<TKey, int> counts, TKey key) where TKey : notnull
    {
        if (!counts.TryGetValue(key, out var n))
            return;
        if (n <= 1)
            counts.Remove(key);
        else
            counts[key] = n - 1;
    }

    private sealed class TagEntry(int id, string name)
    {
        public int Id { get; } = id;
        public string Name { get; } = name;
        public Dictionary<uint, int> Ips { get; } = [];
        public Dictionary<string, int> Macs { get; } = new(StringComparer.Ordinal);
    }
}
