// Several EMS nodes on one PostgreSQL database (issue 16 "The EMS on PostgreSQL"): what one
// registers the other serves, a commit on one wakes the other's change-stream readers
// (LISTEN/NOTIFY), and versions from both commit in order, so a reader resuming from its last
// version misses nothing.
using PostureGate.Ems.Model;
using PostureGate.Ems.Storage;

namespace PostureGate.Ems.Tests.Postgres;

[Collection(PostgresCollection.Name)]
public class SharedDatabaseTests(PostgresCluster cluster)
{
    private static readonly TimeSpan Ceiling = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public async Task Registration_OnOneNode_IsServedByTheOther_AndWakesItsReaders()
    {
        var database = cluster.NewDatabase();
        using var dirA = new TempDirectory();
        using var dirB = new TempDirectory();
        using var a = EmsStore.Open(dirA.Path, database: database);
        using var b = EmsStore.Open(dirB.Path, database: database);
        Assert.Equal(a.SerialNumber, b.SerialNumber);
        Assert.Equal(a.TenantId, b.TenantId);

        // The first wake-up comes once B's session listens; from then on only a NOTIFY wakes it.
        await b.ChangedAsync().WaitAsync(Ceiling);
        var woken = b.ChangedAsync();
        Assert.False(woken.IsCompleted);

        var registered = TestEndpoints.Report(a, """{"av":{"running":true}}""");
        Assert.Equal(EmsOutcome.Ok, registered.Outcome);
        await woken.WaitAsync(Ceiling);

        var seen = b.FindByUid(TestEndpoints.Uid);
        Assert.NotNull(seen);
        // `user` is a reserved word in PostgreSQL: the column, not CURRENT_USER, must come back.
        Assert.Equal("tester", seen.User);
        Assert.Equal(registered.Version, b.CurrentVersion());
        Assert.Equal(ChangeKinds.EndpointRegistered, b.ReadChanges(registered.Version - 1).Single().Kind);
    }

    [SkippableFact]
    public async Task WritersOnTwoNodes_CommitVersionsInOrder_SoAResumingReaderMissesNone()
    {
        var database = cluster.NewDatabase();
        using var dirA = new TempDirectory();
        using var dirB = new TempDirectory();
        using var a = EmsStore.Open(dirA.Path, database: database);
        using var b = EmsStore.Open(dirB.Path, database: database);
        var start = a.CurrentVersion();
        const int perNode = 60;
        var writers = Task.WhenAll(
            Task.Run(() => Register(a, 1)),
            Task.Run(() => Register(b, 2)));

        // Follows the log the way a gateway's stream does: from the last version it read.
        var read = new List<long>();
        var since = start;
        while (true)
        {
            var done = writers.IsCompleted;
            foreach (var change in a.ReadChanges(since))
            {
                read.Add(change.Version);
                since = change.Version;
            }
            if (done)
                break;
            await Task.Yield();
        }
        await writers;

        Assert.Equal(2 * perNode, read.Count);
        Assert.Equal(a.ReadChanges(start, 10_000).Select(c => c.Version), read);

        static void Register(EmsStore store, int node)
        {
            for (var i = 0; i < perNode; i++)
                Assert.Equal(EmsOutcome.Ok, TestEndpoints.Report(store, "{}", $"{node:X2}{i:X30}").Outcome);
        }
    }

    [Fact]
    public void ABadConnectionString_IsOneClearLine_WithoutThePassword()
    {
        using var dir = new TempDirectory();
        var malformed = Assert.Throws<ArgumentException>(() => EmsStore.Open(dir.Path, database: "Host=db;Password=hunter2;Colour=blue"));
        Assert.StartsWith("--database is not a PostgreSQL connection string", malformed.Message);
        Assert.DoesNotContain("hunter2", malformed.Message);

        var noDatabase = Assert.Throws<ArgumentException>(() => EmsStore.Open(dir.Path, database: "Host=db;Password=hunter2"));
        Assert.Equal("--database must name the database (Database=...)", noDatabase.Message);
    }

    [Fact]
    public void AnUnreachableDatabase_IsADatabaseError_WithoutThePassword()
    {
        using var dir = new TempDirectory();
        var socketDirectory = Path.Combine(dir.Path, "no-server-here");
        var error = Assert.ThrowsAny<System.Data.Common.DbException>(() =>
            EmsStore.Open(dir.Path, database: $"Host={socketDirectory};Database=ems;Username=ems;Password=hunter2;Timeout=5"));
        Assert.DoesNotContain("hunter2", error.ToString());
    }
}
