// The change log read side: what the SSE stream replays from a version, and its pruning: the
// newest ChangeRetention rows are kept; a gateway resuming from before them takes a snapshot.
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

    /// <summary>How many of the newest changes are kept; older ones are pruned by the sweep.</summary>
    public const long DefaultChangeRetention = 100_000;

    /// <summary>Changes one pruning statement deletes at most: each is a write of its own, short enough
    /// not to hold off registrations (a first prune of a million-row log would take minutes).</summary>
    public const long PruneBatch = 10_000;

    /// <summary>Deletes all but the newest <paramref name="keep"/> changes (at least one stays, so the
    /// version never goes back), oldest first, <paramref name="batch"/> at a time; returns how many went.</summary>
    public int PruneChanges(long keep = DefaultChangeRetention, long batch = PruneBatch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        using var connection = Database.Open();
        long oldest, newest;
        using (var command = Command(connection, null, "SELECT MIN(version), MAX(version) FROM changes;"))
        using (var reader = command.ExecuteReader())
        {
            if (!reader.Read() || reader.IsDBNull(0))
                return 0;
            (oldest, newest) = (reader.GetInt64(0), reader.GetInt64(1));
        }
        var deleted = 0;
        // Versions are never reused, so deleting at or below `newest - keep` stays right while writers add more.
        for (var below = oldest - 1; below < newest - keep;)
        {
            below = Math.Min(below + batch, newest - keep);
            // In the queue with the store's writers: registrations get their turns between the steps.
            using var turn = Database.WaitWriterTurn();
            using var command = Command(connection, null, "DELETE FROM changes WHERE version <= $below;", ("$below", below));
            deleted += command.ExecuteNonQuery();
        }
        return deleted;
    }

    /// <summary>The oldest change still in the log, or null when it is empty.</summary>
    public long? OldestChangeVersion()
    {
        using var connection = Database.Open();
        using var command = Command(connection, null, "SELECT MIN(version) FROM changes;");
        return command.ExecuteScalar() is long v ? v : null;
    }

    /// <summary>Completes when this process commits a change, or — on PostgreSQL — another EMS node or
    /// the CLI does (LISTEN/NOTIFY); other SQLite writers are found by the readers' polling.</summary>
    internal Task ChangedAsync() => Database.OtherWriterChangedAsync() is { } other
        ? Task.WhenAny(Notifier.NextAsync(), other)
        : Notifier.NextAsync();
}
