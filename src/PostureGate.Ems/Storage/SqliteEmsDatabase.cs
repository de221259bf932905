// SQLite access for the EMS data directory: one file `ems.db`, WAL journal.
// Durability: every acknowledged change is a committed transaction before the HTTP answer or
// CLI exit. WAL + synchronous=FULL fsyncs the WAL on each commit, so a commit survives power
// loss as well as kill -9 (NORMAL would survive kill -9 only). Writes are rare and small
// (registrations, fact reports, admin edits), so the fsync per commit is affordable.
using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace PostureGate.Ems.Storage;

internal sealed class SqliteEmsDatabase : EmsDatabase
{
    public const string FileName = "ems.db";

    private readonly string _connectionString;

    public SqliteEmsDatabase(string dataDirectory)
        : base(dataDirectory)
    {
        DatabasePath = Path.Combine(DataDirectory, FileName);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            // Waits this long on a lock held by another connection (the CLI beside the server).
            DefaultTimeout = 30,
        }.ToString();
    }

    // SQLite's busy handler polls instead of queueing: with many writers in this process one could
    // wait past DefaultTimeout and fail ('database is locked', seen with 16 writers at 600,000
    // endpoints). They queue here instead; the busy timeout is left for other processes (the CLI).
    private readonly SemaphoreSlim _writer = new(1, 1);

    public override SqlDialect Dialect => SqliteDialect.Instance;

    public override IDisposable? WaitWriterTurn()
    {
        _writer.Wait();
        return new Turn(_writer);
    }

    private sealed class Turn(SemaphoreSlim writer) : IDisposable
    {
        private SemaphoreSlim? _writer = writer;

        public void Dispose() => Interlocked.Exchange(ref _writer, null)?.Release();
    }

    public override string Describe => DatabasePath;

    public string DatabasePath { get; }

    /// <summary>Opens a connection with the per-connection pragmas set.</summary>
    public override DbConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;";
        pragma.ExecuteNonQuery();
        return connection;
    }

    /// <summary>Drops pooled connections so the files are closed (stop, tests).</summary>
    public override void ClosePool()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }
}
