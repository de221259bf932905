// A PostgreSQL database for the EMS (`pgate ems --database "<Npgsql connection string>"`): the
// state several EMS nodes share. The connection string comes from the admin; it is parsed here,
// at the edge, and only its host, port, database and user ever appear in a message.
using System.Data.Common;
using Npgsql;

namespace PostureGate.Ems.Storage;

internal sealed class PostgresEmsDatabase : EmsDatabase
{
    private readonly NpgsqlDataSource _source;
    private readonly Lazy<PostgresChangeListener> _listener;

    public PostgresEmsDatabase(string connectionString, string dataDirectory)
        : base(dataDirectory)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
        {
            // The provider's message names the keyword or position, never the value.
            throw new ArgumentException($"--database is not a PostgreSQL connection string (Host=...;Database=...;Username=...): {e.Message}");
        }
        if (string.IsNullOrEmpty(builder.Database))
            throw new ArgumentException("--database must name the database (Database=...)");
        builder.ApplicationName ??= "pgate-ems";
        // The store runs the same few statements over and over (a registration is a dozen): the
        // server parses and plans each once per connection, unless the admin chose otherwise.
        if (builder.MaxAutoPrepare == 0)
            builder.MaxAutoPrepare = 64;
        Describe = $"postgresql://{builder.Username}@{builder.Host}:{builder.Port}/{builder.Database}";
        _source = NpgsqlDataSource.Create(builder);
        _listener = new Lazy<PostgresChangeListener>(() => new PostgresChangeListener(_source), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public override SqlDialect Dialect => PostgresDialect.Instance;

    public override string Describe { get; }

    public override DbConnection Open() => _source.OpenConnection();

    /// <summary>LISTEN on the change channel, started by the first reader that waits.</summary>
    public override Task OtherWriterChangedAsync() => _listener.Value.NextAsync();

    public override void ClosePool()
    {
        if (_listener.IsValueCreated)
            _listener.Value.Dispose();
        _source.Dispose();
    }
}
