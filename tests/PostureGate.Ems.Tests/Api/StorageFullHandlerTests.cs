// StorageFullHandler recognises a full disk from either store, wrapped or not, and nothing else
// (the root-only process test, tests/interop EmsFullDiskInteropTests, fills a real tmpfs).
using PostureGate.Ems.Api;

namespace PostureGate.Ems.Tests.Api;

public class StorageFullHandlerTests
{
    [Fact]
    public void SqliteFull_AndPostgresDiskFull_AreAFullDisk_EvenWrapped()
    {
        Assert.True(StorageFullHandler.IsStorageFull(new Microsoft.Data.Sqlite.SqliteException("database or disk is full", 13), out var what));
        Assert.Equal("database or disk is full", what);
        var postgres = new Npgsql.PostgresException("could not extend file", "ERROR", "ERROR", "53100");
        Assert.True(StorageFullHandler.IsStorageFull(new InvalidOperationException("save failed", postgres), out _));
    }

    [Fact]
    public void OtherStoreErrors_AreNot()
    {
        Assert.False(StorageFullHandler.IsStorageFull(new Microsoft.Data.Sqlite.SqliteException("database is locked", 5), out _));
        Assert.False(StorageFullHandler.IsStorageFull(new Npgsql.PostgresException("duplicate key", "ERROR", "ERROR", "23505"), out _));
    }
}
