// The two engines the EMS store runs on; store tests are theories over both.
using PostureGate.Ems.Storage;

namespace PostureGate.Ems.Tests.Postgres;

public enum StoreEngine
{
    Sqlite,
    Postgres,
}

internal static class StoreEngines
{
    /// <summary>A store in <paramref name="dataDirectory"/>: SQLite there, or a new PostgreSQL database of <paramref name="cluster"/>.</summary>
    public static EmsStore Open(StoreEngine engine, PostgresCluster cluster, string dataDirectory, TimeProvider? time = null)
        => EmsStore.Open(dataDirectory, time, database: engine == StoreEngine.Postgres ? cluster.NewDatabase() : null);
}
