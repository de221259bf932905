// The seam between the EMS store and its two engines (SQLite, PostgreSQL): the store's SQL is
// written once, in the dialect both share, and each engine adds here only what differs —
// parameter markers, schema types, transaction start, schema version, change notification.
using System.Data.Common;
using Npgsql;

namespace PostureGate.Ems.Storage;

internal abstract class SqlDialect
{
    /// <summary>The dialect of an open connection (the store's static helpers take only the connection).</summary>
    public static SqlDialect Of(DbConnection connection) => connection is NpgsqlConnection ? PostgresDialect.Instance : SqliteDialect.Instance;

    /// <summary>The store's SQL (parameters written `$name`) as this engine takes it.</summary>
    public abstract string Translate(string sql);

    /// <summary>A parameter's name as this engine's provider takes it.</summary>
    public abstract string ParameterName(string name);

    /// <summary>A migration step (written in SQLite's DDL) as this engine takes it.</summary>
    public abstract string TranslateSchema(string step);

    /// <summary>A transaction in which this connection is the only writer until it ends, so reads
    /// inside it see every change committed before and change versions commit in order.</summary>
    public abstract DbTransaction BeginWrite(DbConnection connection);

    /// <summary>A write transaction whose writer lock is taken by its first statement,
    /// <see cref="WriteLockSql"/>, sent in the same round trip as the reads after it (null: the
    /// transaction already holds the lock, as SQLite's does from its BEGIN).</summary>
    public abstract DbTransaction BeginBatchedWrite(DbConnection connection, out string? lockSql);

    /// <summary>Whether <see cref="StatementBatch"/> sends its statements in one round trip.</summary>
    public virtual bool SendsBatches => false;

    /// <summary>The statement announcing a committed change to the other nodes (null: none).</summary>
    public virtual string? AnnounceChangeSql => null;

    /// <summary>A read-only transaction that sees one consistent state for its whole length.</summary>
    public abstract DbTransaction BeginRead(DbConnection connection);

    /// <summary>Makes the schema version readable (creating its row when the engine keeps it in a table).</summary>
    public abstract void PrepareSchemaVersion(DbConnection connection, DbTransaction tx);

    public abstract int ReadSchemaVersion(DbConnection connection, DbTransaction? tx);

    public abstract string WriteSchemaVersion(int version);

    /// <summary>Runs inside a write transaction that changed something, just before its commit:
    /// tells the other EMS nodes on the same database (none for SQLite).</summary>
    public void AnnounceChange(DbConnection connection, DbTransaction tx)
    {
        if (AnnounceChangeSql is not { } sql)
            return;
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>An ORDER BY term giving insertion order among rows of equal time.</summary>
    public abstract string InsertionOrder(string keyColumn);
}
