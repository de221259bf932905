// Several store statements sent as one round trip: on PostgreSQL an NpgsqlBatch (the extended
// query protocol's Parse/Bind/Execute for each statement, one Sync), so a registration costs a
// few round trips instead of one per statement; SQLite, in the same process, runs them in turn.
using System.Data.Common;

namespace PostureGate.Ems.Storage;

internal sealed class StatementBatch
{
    private readonly List<Statement> _statements = [];

    private sealed record Statement(string Sql, (string Name, object? Value)[] Parameters, Action<DbDataReader>? Read);

    public int Count => _statements.Count;

    /// <summary>A statement whose rows (a SELECT, or RETURNING) <paramref name="read"/> takes, all of them.</summary>
    public StatementBatch Query(string sql, Action<DbDataReader> read, params (string Name, object? Value)[] parameters)
    {
        _statements.Add(new Statement(sql, parameters, read));
        return this;
    }

    /// <summary>A statement without rows (no RETURNING).</summary>
    public StatementBatch Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        _statements.Add(new Statement(sql, parameters, null));
        return this;
    }

    /// <summary>Runs every statement in order inside <paramref name="tx"/>; the first failure throws
    /// and (PostgreSQL) the ones after it do not run.</summary>
    public void Run(DbConnection connection, DbTransaction tx)
    {
        var dialect = SqlDialect.Of(connection);
        if (!dialect.SendsBatches)
        {
            foreach (var statement in _statements)
            {
                using var command = EmsStore.Command(connection, tx, statement.Sql, statement.Parameters);
                if (statement.Read is null)
                {
                    command.ExecuteNonQuery();
                    continue;
                }
                using var rows = command.ExecuteReader();
                statement.Read(rows);
            }
            return;
        }
        using var batch = connection.CreateBatch();
        batch.Transaction = tx;
        foreach (var statement in _statements)
        {
            var command = batch.CreateBatchCommand();
            command.CommandText = dialect.Translate(statement.Sql);
            foreach (var (name, value) in statement.Parameters)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = dialect.ParameterName(name);
                parameter.Value = value ?? DBNull.Value;
                command.Parameters.Add(parameter);
            }
            batch.BatchCommands.Add(command);
        }
        using var reader = batch.ExecuteReader();
        // Npgsql's reader passes over statements without rows: it stands on the first result set,
        // and each NextResult moves to the next statement that has one.
        var first = true;
        foreach (var statement in _statements)
        {
            if (statement.Read is null)
                continue;
            if (!first && !reader.NextResult())
                throw new InvalidOperationException("the database returned fewer result sets than the batch has queries");
            first = false;
            statement.Read(reader);
        }
        // Reads the rest, so an error in a statement after the last query surfaces here.
        while (reader.NextResult())
        {
        }
    }
}
