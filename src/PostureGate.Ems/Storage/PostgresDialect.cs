// PostgreSQL's side of the dialect seam. Parameters are `@name`; SQLite's DDL maps to bigint,
// bytea, identity columns and byte-order ("C") text, so ordering and comparison match SQLite's
// BINARY collation whatever the database's locale. Writers serialize on one transaction-scoped
// advisory lock — as SQLite's single writer does — so the change log's identity values commit
// in increasing order and a reader resuming from version N never misses a later commit below N.
using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using System.Text.RegularExpressions;
using Npgsql;

namespace PostureGate.Ems.Storage;

internal sealed partial class PostgresDialect : SqlDialect
{
    public static readonly PostgresDialect Instance = new();

    /// <summary>The advisory lock every EMS writer on one database takes ("PGat").</summary>
    public const long WriteLockKey = 0x50476174;

    /// <summary>The LISTEN/NOTIFY channel a committed change is announced on.</summary>
    public const string ChangeChannel = "pgate_ems_changes";

    private readonly ConcurrentDictionary<string, string> _translated = new(StringComparer.Ordinal);

    public override string Translate(string sql) => _translated.GetOrAdd(sql, static s => Parameter().Replace(s, "@$1"));

    public override string ParameterName(string name) => name.TrimStart('$');

    public override string TranslateSchema(string step)
    {
        var sql = StrictTable().Replace(step, ")");
        sql = AutoIncrementKey().Replace(sql, "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY");
        sql = IntegerType().Replace(sql, "BIGINT");
        sql = BlobType().Replace(sql, "BYTEA");
        sql = TextType().Replace(sql, "TEXT COLLATE \"C\"");
        // `user` is a reserved word in PostgreSQL (CURRENT_USER); SQLite takes the quoted name too.
        sql = UserColumn().Replace(sql, "$1\"user\" ");
        return sql;
    }

    private static readonly string LockSql = $"SELECT pg_advisory_xact_lock({WriteLockKey});";

    public override DbTransaction BeginWrite(DbConnection connection)
    {
        var tx = BeginBatchedWrite(connection, out var lockSql);
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = lockSql;
        command.ExecuteNonQuery();
        return tx;
    }

    // Npgsql sends BEGIN with the transaction's first statement: no round trip of its own.
    public override DbTransaction BeginBatchedWrite(DbConnection connection, out string? lockSql)
    {
        lockSql = LockSql;
        return ((NpgsqlConnection)connection).BeginTransaction(IsolationLevel.ReadCommitted);
    }

    public override bool SendsBatches => true;

    public override DbTransaction BeginRead(DbConnection connection)
    {
        var tx = ((NpgsqlConnection)connection).BeginTransaction(IsolationLevel.RepeatableRead);
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "SET TRANSACTION READ ONLY;";
        command.ExecuteNonQuery();
        return tx;
    }

    public override void PrepareSchemaVersion(DbConnection connection, DbTransaction tx)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = """
            CREATE TABLE IF NOT EXISTS schema_version(only_row BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (only_row), version INTEGER NOT NULL);
            INSERT INTO schema_version(version) VALUES (0) ON CONFLICT DO NOTHING;
            """;
        command.ExecuteNonQuery();
    }

    public override int ReadSchemaVersion(DbConnection connection, DbTransaction? tx)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "SELECT version FROM schema_version;";
        try
        {
            return command.ExecuteScalar() is int version ? version : 0;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable && tx is null)
        {
            return 0;
        }
    }

    public override string WriteSchemaVersion(int version) => $"UPDATE schema_version SET version = {version};";

    // Delivered at commit, to every session listening (the other EMS nodes, this one too).
    public override string? AnnounceChangeSql { get; } = $"NOTIFY {ChangeChannel};";

    public override string InsertionOrder(string keyColumn) => keyColumn;

    [GeneratedRegex(@"\$([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex Parameter();

    [GeneratedRegex(@"\)\s*STRICT(\s*,\s*WITHOUT ROWID)?")]
    private static partial Regex StrictTable();

    [GeneratedRegex(@"\bINTEGER PRIMARY KEY AUTOINCREMENT\b")]
    private static partial Regex AutoIncrementKey();

    [GeneratedRegex(@"\bINTEGER\b")]
    private static partial Regex IntegerType();

    [GeneratedRegex(@"\bBLOB\b")]
    private static partial Regex BlobType();

    [GeneratedRegex(@"\bTEXT\b")]
    private static partial Regex TextType();

    [GeneratedRegex(@"(^|[\s(,])user\s+(?=TEXT)", RegexOptions.Multiline)]
    private static partial Regex UserColumn();
}
