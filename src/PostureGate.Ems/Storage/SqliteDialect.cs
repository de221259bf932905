// SQLite's side of the dialect seam: the store's SQL is SQLite's own; one writer at a time by
// BEGIN IMMEDIATE; the schema version is `PRAGMA user_version`.
using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace PostureGate.Ems.Storage;

internal sealed class SqliteDialect : SqlDialect
{
    public static readonly SqliteDialect Instance = new();

    public override string Translate(string sql) => sql;

    public override string ParameterName(string name) => name;

    public override string TranslateSchema(string step) => step;

    // IMMEDIATE takes the write lock at BEGIN: no other connection (the CLI) writes in between.
    public override DbTransaction BeginWrite(DbConnection connection) => ((SqliteConnection)connection).BeginTransaction(deferred: false);

    public override DbTransaction BeginBatchedWrite(DbConnection connection, out string? lockSql)
    {
        lockSql = null;
        return BeginWrite(connection);
    }

    // A deferred transaction pins one WAL snapshot at its first read.
    public override DbTransaction BeginRead(DbConnection connection) => ((SqliteConnection)connection).BeginTransaction(deferred: true);

    public override void PrepareSchemaVersion(DbConnection connection, DbTransaction tx)
    {
    }

    public override int ReadSchemaVersion(DbConnection connection, DbTransaction? tx)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    public override string WriteSchemaVersion(int version) => $"PRAGMA user_version = {version};";

    public override string InsertionOrder(string keyColumn) => "rowid";
}
