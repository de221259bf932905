// Where the EMS keeps its state: SQLite in the data directory (the default) or a PostgreSQL
// database shared by several EMS nodes (`pgate ems --database`). Keys and certificates stay
// in the data directory either way.
using System.Data.Common;

namespace PostureGate.Ems.Storage;

internal abstract class EmsDatabase : IDisposable
{
    protected EmsDatabase(string dataDirectory) => DataDirectory = Path.GetFullPath(dataDirectory);

    public string DataDirectory { get; }

    public abstract SqlDialect Dialect { get; }

    /// <summary>What the database is, for messages: never a password.</summary>
    public abstract string Describe { get; }

    /// <summary>Opens a connection ready for use (per-connection settings applied).</summary>
    public abstract DbConnection Open();

    /// <summary>Completes when another connection (another EMS node, the CLI) commits a change; null
    /// when the engine cannot tell, and readers poll instead.</summary>
    public virtual Task? OtherWriterChangedAsync() => null;

    /// <summary>Waits for this process's turn to write; disposing the answer ends it. Null for an
    /// engine whose writers already queue (PostgreSQL's advisory lock).</summary>
    public virtual IDisposable? WaitWriterTurn() => null;

    /// <summary>Drops pooled connections so files and sessions are closed (stop, tests).</summary>
    public abstract void ClosePool();

    public void Dispose() => ClosePool();
}
