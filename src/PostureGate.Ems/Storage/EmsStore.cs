// The EMS's state: endpoints, tags and rules, the change log, settings, profiles, key ring, in
// SQLite or PostgreSQL (SqlDialect). Each public operation is one short write transaction, the
// only writer while it runs, committed before it returns, so the HTTP API, the CLI and other EMS
// nodes can write side by side. Every change appends to `changes`; its AUTOINCREMENT (identity)
// value is the global version (never reused, committed in increasing order).
using System.Data.Common;
using System.Security.Cryptography;
using PostureGate.Ems.Model;

namespace PostureGate.Ems.Storage;

public sealed partial class EmsStore : IDisposable
{
    private EmsStore(EmsDatabase database, TimeProvider time)
    {
        Database = database;
        Time = time;
    }

    internal EmsDatabase Database { get; }

    internal ChangeNotifier Notifier { get; } = new();

    /// <summary>The private keys: files in the data directory (SQLite) or sealed rows (PostgreSQL).</summary>
    internal KeyVault Keys { get; private set; } = null!;

    public TimeProvider Time { get; }

    public string DataDirectory => Database.DataDirectory;

    /// <summary>An endpoint counts as online when seen within this window.</summary>
    public TimeSpan OnlineWindow { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Opens (creating and migrating when needed) the store in <paramref name="dataDirectory"/>.</summary>
    /// <summary>
    /// Opens (creating) the data directory. <paramref name="serialNumber"/> is the EMS serial a new
    /// directory gets (null: a random one); an existing directory keeps its own, and naming another is an error.
    /// </summary>
    /// <param name="database">A PostgreSQL (Npgsql) connection string; null: SQLite in <paramref name="dataDirectory"/>.</param>
    /// <param name="keyFile">With <paramref name="database"/>: the node key file sealing the shared private keys
    /// (null: cluster.key in <paramref name="dataDirectory"/>).</param>
    public static EmsStore Open(string dataDirectory, TimeProvider? time = null, TimeSpan? onlineWindow = null, string? serialNumber = null,
        string? database = null, string? keyFile = null)
    {
        if (keyFile is not null && database is null)
            throw new ArgumentException("--key-file seals the keys of a PostgreSQL EMS (--database); with SQLite the keys are files in the data directory");
        if (serialNumber is not null && !IsSerialNumber(serialNumber))
            throw new ArgumentException($"EMS serial '{serialNumber}' is not FCTEMS followed by 10 digits (FCTEMS8826000120)");
        CreatePrivateDirectory(dataDirectory);
        EmsDatabase engine;
        if (database is null)
        {
            var sqlite = new SqliteEmsDatabase(dataDirectory);
            // Owner-only before SQLite touches it: SQLite creates -wal and -shm with the database
            // file's mode, so no file of the database is ever group or world readable.
            PreparePrivateDatabaseFiles(sqlite.DatabasePath);
            engine = sqlite;
        }
        else
        {
            engine = new PostgresEmsDatabase(database, dataDirectory);
        }
        var store = new EmsStore(engine, time ?? TimeProvider.System)
        {
            OnlineWindow = onlineWindow ?? TimeSpan.FromMinutes(5),
        };
        try
        {
            using (var connection = store.Database.Open())
            {
                Migrations.Apply(connection);
                store.EnsureIdentity(connection, serialNumber);
            }
            store.Keys = database is null
                ? new FileKeyVault(store.DataDirectory)
                : SealedKeyVault.Open(store, keyFile ?? Path.Combine(store.DataDirectory, NodeKeyFile.DefaultFileName));
        }
        catch
        {
            store.Dispose();
            throw;
        }
        if (serialNumber is not null && store.SerialNumber != serialNumber)
        {
            store.Dispose();
            throw new InvalidOperationException($"{dataDirectory} already belongs to EMS {store.SerialNumber}: its serial cannot become {serialNumber}");
        }
        return store;
    }

    internal long Now => Time.GetUtcNow().ToUnixTimeSeconds();

    public void Dispose()
    {
        (Keys as IDisposable)?.Dispose();
        Database.Dispose();
    }

    /// <summary>Keys and the database live here: owner-only on Unix.</summary>
    internal static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(path);
        else
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>Creates the database file owner-only when missing (mode given at creation, no
    /// chmod window); an existing one and its -wal/-shm (an older pgate made them 0644) are narrowed.</summary>
    internal static void PreparePrivateDatabaseFiles(string databasePath)
    {
        if (OperatingSystem.IsWindows())
            return;
        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using var created = new FileStream(databasePath, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = ownerOnly,
            });
        }
        catch (IOException) when (File.Exists(databasePath))
        {
        }
        foreach (var path in new[] { databasePath, databasePath + "-wal", databasePath + "-shm" })
        {
            if (File.Exists(path) && (File.GetUnixFileMode(path) & ~ownerOnly) != 0)
                File.SetUnixFileMode(path, ownerOnly);
        }
    }

    /// <summary>Appends to the change log inside <paramref name="tx"/>; returns the new version.</summary>
    internal static long AppendChange(DbConnection connection, DbTransaction tx, long now, string kind, string subject, string data)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "INSERT INTO changes(at, kind, subject, data) VALUES ($at, $kind, $subject, $data) RETURNING version;";
        var dialect = SqlDialect.Of(connection);
        command.CommandText = dialect.Translate(command.CommandText);
        AddParameter(command, dialect, "$at", now);
        AddParameter(command, dialect, "$kind", kind);
        AddParameter(command, dialect, "$subject", subject);
        AddParameter(command, dialect, "$data", data);
        return (long)command.ExecuteScalar()!;
    }

    internal static long ReadVersion(DbConnection connection, DbTransaction? tx)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM changes;";
        return (long)command.ExecuteScalar()!;
    }

    public long CurrentVersion()
    {
        using var connection = Database.Open();
        return ReadVersion(connection, null);
    }

    internal static DbCommand Command(DbConnection connection, DbTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        var dialect = SqlDialect.Of(connection);
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = dialect.Translate(sql);
        foreach (var (name, value) in parameters)
            AddParameter(command, dialect, name, value);
        return command;
    }

    private static void AddParameter(DbCommand command, SqlDialect dialect, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = dialect.ParameterName(name);
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    internal static string RandomHex(int bytes)
    {
        Span<byte> buffer = stackalloc byte[bytes];
        RandomNumberGenerator.Fill(buffer);
        return Convert.ToHexString(buffer);
    }

    /// <summary>Runs <paramref name="work"/> in one write transaction; wakes streams if the version moved.</summary>
    internal EmsResult Write(Func<DbConnection, DbTransaction, EmsResult> work)
    {
        using var turn = Database.WaitWriterTurn();
        using var connection = Database.Open();
        using var tx = Database.Dialect.BeginWrite(connection);
        var result = work(connection, tx);
        if (result.Outcome == EmsOutcome.Ok)
            Database.Dialect.AnnounceChange(connection, tx);
        return Finish(tx, result);
    }

    /// <summary>Like <see cref="Write"/>, for work that sends its statements in batches: its first
    /// batch starts with the writer lock statement it is given (null: already held), and when it
    /// returns Ok its last batch has carried <see cref="SqlDialect.AnnounceChangeSql"/>.</summary>
    internal EmsResult WriteBatched(Func<DbConnection, DbTransaction, string?, EmsResult> work)
    {
        using var turn = Database.WaitWriterTurn();
        using var connection = Database.Open();
        using var tx = Database.Dialect.BeginBatchedWrite(connection, out var lockSql);
        return Finish(tx, work(connection, tx, lockSql));
    }

    private EmsResult Finish(DbTransaction tx, EmsResult result)
    {
        if (result.Outcome == EmsOutcome.Ok)
        {
            tx.Commit();
            Notifier.Signal();
        }
        else if (result.Outcome == EmsOutcome.Unchanged)
        {
            // An unchanged operation may still have touched last_seen; keep that.
            tx.Commit();
        }
        else
        {
            tx.Rollback();
        }
        return result;
    }
}
