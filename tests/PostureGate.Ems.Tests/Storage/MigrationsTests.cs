using Microsoft.Data.Sqlite;
using PostureGate.Ems.Storage;

namespace PostureGate.Ems.Tests.Storage;

public class MigrationsTests
{
    [Fact]
    public void EmptyDatabase_MigratesToCurrent_ThenIsIdempotent()
    {
        using var dir = new TempDirectory();
        var database = new SqliteEmsDatabase(dir.Path);
        using (var connection = database.Open())
        {
            Assert.Equal(0, Migrations.ReadUserVersion(connection));
            Assert.Equal(0, Migrations.Apply(connection));
            Assert.Equal(Migrations.CurrentVersion, Migrations.ReadUserVersion(connection));
            var tables = Tables(connection);
            Assert.Superset(new HashSet<string> { "meta", "endpoints", "tags", "endpoint_tags", "changes", "signing_keys", "profiles" }, tables);

            // Second run finds the current version and changes nothing.
            Assert.Equal(Migrations.CurrentVersion, Migrations.Apply(connection));
            Assert.Equal(tables, Tables(connection));
            using var count = connection.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM tags WHERE name = 'all_registered_clients';";
            Assert.Equal(1L, count.ExecuteScalar());
        }
        database.ClosePool();
    }

    [Fact]
    public void StepByStep_KeepsRows()
    {
        using var dir = new TempDirectory();
        var database = new SqliteEmsDatabase(dir.Path);
        using (var connection = database.Open())
        {
            // A database left at version 1 by an older pgate, holding an endpoint.
            using (var tx = connection.BeginTransaction())
            using (var command = connection.CreateCommand())
            {
                command.Transaction = tx;
                command.CommandText = Migrations.Steps[0] + """
                    PRAGMA user_version = 1;
                    INSERT INTO endpoints(uid, ztna_cert_sn, registered_at, last_seen) VALUES ('F8A6AFF3531843B4972CBDBEEEB30E3C', 'SN', 1, 1);
                    """;
                command.ExecuteNonQuery();
                tx.Commit();
            }
            Assert.Equal(1, Migrations.Apply(connection));
            Assert.Equal(Migrations.CurrentVersion, Migrations.ReadUserVersion(connection));
            using var read = connection.CreateCommand();
            read.CommandText = "SELECT uid, offline_logged FROM endpoints;";
            using var reader = read.ExecuteReader();
            Assert.True(reader.Read());
            Assert.Equal("F8A6AFF3531843B4972CBDBEEEB30E3C", reader.GetString(0));
            Assert.Equal(0, reader.GetInt32(1));
        }
        database.ClosePool();
    }

    [Fact]
    public void Journal_IsWal_AndSynchronousFull()
    {
        using var dir = new TempDirectory();
        var database = new SqliteEmsDatabase(dir.Path);
        using (var connection = database.Open())
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode;";
            Assert.Equal("wal", command.ExecuteScalar());
            command.CommandText = "PRAGMA synchronous;";
            Assert.Equal(2L, command.ExecuteScalar()); // FULL
        }
        database.ClosePool();
    }

    [Fact]
    public void NewerSchema_IsRefused_AndLeftAlone()
    {
        using var dir = new TempDirectory();
        var database = new SqliteEmsDatabase(dir.Path);
        using (var connection = database.Open())
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA user_version = {Migrations.CurrentVersion + 1};";
            command.ExecuteNonQuery();
            Assert.Throws<InvalidOperationException>(() => Migrations.Apply(connection));
            Assert.Equal(Migrations.CurrentVersion + 1, Migrations.ReadUserVersion(connection));
            Assert.Empty(Tables(connection));
        }
        database.ClosePool();
    }

    [Fact]
    public void StoreOpen_TwiceOnSameDirectory_KeepsIdentity_AndKeysAreMadeOnceAndStoredAsDigests()
    {
        using var parent = new TempDirectory();
        var data = Path.Combine(parent.Path, "ems");
        string serial, tenant;
        IReadOnlyDictionary<ApiKeyKind, string> keys;
        using (var first = EmsStore.Open(data))
        {
            serial = first.SerialNumber;
            tenant = first.TenantId;
            keys = first.CreateMissingApiKeys();
        }
        using var second = EmsStore.Open(data);
        Assert.Equal(serial, second.SerialNumber);
        Assert.Equal(tenant, second.TenantId);
        Assert.Empty(second.CreateMissingApiKeys());
        Assert.Equal(ApiKeyKind.Gateway, second.IdentifyApiKey(keys[ApiKeyKind.Gateway]));
        Assert.Equal(ApiKeyKind.Admin, second.IdentifyApiKey(keys[ApiKeyKind.Admin]));
        Assert.Null(second.IdentifyApiKey(keys[ApiKeyKind.Gateway] + "x"));
        Assert.DoesNotContain(keys[ApiKeyKind.Gateway], MetaValues(second));
        Assert.DoesNotContain(keys[ApiKeyKind.Admin], MetaValues(second));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(data, SqliteEmsDatabase.FileName)));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(data, SqliteEmsDatabase.FileName + "-wal")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(data));
        }
    }

    /// <summary>A database from before schema 3 kept the API keys in clear in meta: opening it
    /// keeps the keys working and leaves only their digests.</summary>
    [Fact]
    public void ClearApiKeysOfAnOlderDatabase_AreReplacedByDigests()
    {
        using var parent = new TempDirectory();
        var data = Path.Combine(parent.Path, "ems");
        using (EmsStore.Open(data))
        {
        }
        var database = new SqliteEmsDatabase(data);
        using (var connection = database.Open())
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                DELETE FROM meta WHERE key LIKE 'api_key.%';
                INSERT INTO meta(key, value) VALUES ('api_key.gateway', 'pgk_old-gateway-key'), ('api_key.admin', 'pgk_old-admin-key');
                """;
            command.ExecuteNonQuery();
        }
        database.ClosePool();
        // An older pgate chmod-ed only after SQLite had made the files: 0644 here.
        File.SetUnixFileMode(Path.Combine(data, SqliteEmsDatabase.FileName), (UnixFileMode)0b110_100_100);

        using var store = EmsStore.Open(data);

        Assert.Equal(ApiKeyKind.Gateway, store.IdentifyApiKey("pgk_old-gateway-key"));
        Assert.Equal(ApiKeyKind.Admin, store.IdentifyApiKey("pgk_old-admin-key"));
        Assert.Empty(store.CreateMissingApiKeys());
        Assert.DoesNotContain(MetaValues(store), v => v.Contains("pgk_", StringComparison.Ordinal));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(data, SqliteEmsDatabase.FileName)));
    }

    private static List<string> MetaValues(EmsStore store)
    {
        using var connection = store.Database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT key || '=' || value FROM meta;";
        using var reader = command.ExecuteReader();
        var list = new List<string>();
        while (reader.Read())
            list.Add(reader.GetString(0));
        return list;
    }

    private static HashSet<string> Tables(System.Data.Common.DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%';";
        using var reader = command.ExecuteReader();
        var set = new HashSet<string>();
        while (reader.Read())
            set.Add(reader.GetString(0));
        return set;
    }
}
