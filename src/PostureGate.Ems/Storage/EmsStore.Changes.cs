// The change log read side: what the SSE stream replays from a version.
using PostureGate.Ems.Model;

namespace PostureGate.Ems.Storage;

public sealed partial class EmsStore
{
    /// <summary>Changes with version &gt; <paramref name="since"/>, oldest first, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<ChangeEvent> ReadChanges(long since, int limit = 1000)
    {
        using var connection = Database.Open();
        using var command = Command(connection, null,
            "SELECT version, at, kind, subject, data FROM changes WHERE version > $since ORDER BY version LIMIT $limit;",
            ("$since", since), ("$limit", limit));
        using var reader = command.ExecuteReader();
        var list = new List<ChangeEvent>();
        while (reader.Read())
            list.Add(new ChangeEvent(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
        return list;
    }

    /// <summary>Completes when this process commits a change (other processes are found by polling).</summary>
    internal Task ChangedAsync() => Notifier.NextAsync();
}
