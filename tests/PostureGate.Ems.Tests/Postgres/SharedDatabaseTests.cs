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
        // The second node holds the first one's key file, as an admin copies it.
        using var b = EmsStore.Open(dirB.Path, database: database, keyFile: NodeKey(dirA));
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
        // The second node holds the first one's key file, as an admin copies it.
        using var b = EmsStore.Open(dirB.Path, database: database, keyFile: NodeKey(dirA));
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

    [SkippableFact]
    public void ANodeWithoutTheKeyFile_OrWithAnother_IsRefused_AndKeysAreSealed()
    {
        var database = cluster.NewDatabase();
        using var dirA = new TempDirectory();
        using var dirB = new TempDirectory();
        using var a = EmsStore.Open(dirA.Path, database: database);
        using (var ring = PostureGate.Ems.Tokens.SigningKeyRing.Open(a))
        using (var ca = PostureGate.Ems.Enrollment.EndpointCertificateAuthority.LoadOrCreate(a))
        {
            Assert.Empty(Directory.GetFiles(dirA.Path, "*.pem", SearchOption.AllDirectories));
            Assert.False(File.Exists(Path.Combine(dirA.Path, PostureGate.Ems.Enrollment.EndpointCertificateAuthority.KeyFileName)));
            // Nothing of the private keys in clear in the database.
            using var connection = a.Database.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT sealed FROM sealed_keys;";
            using var reader = command.ExecuteReader();
            var rows = 0;
            while (reader.Read())
            {
                rows++;
                Assert.Equal(-1, ((byte[])reader.GetValue(0)).AsSpan().IndexOf("PRIVATE KEY"u8));
            }
            Assert.True(rows >= 3); // the check row, the CA key and certificate, a signing key
        }

        var missing = Assert.Throws<InvalidOperationException>(() => EmsStore.Open(dirB.Path, database: database));
        Assert.Contains("copy the key file of a running node", missing.Message);
        var other = Path.Combine(dirB.Path, "other.key");
        File.WriteAllText(other, new string('7', 64) + "\n");
        File.SetUnixFileMode(other, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var wrong = Assert.Throws<InvalidOperationException>(() => EmsStore.Open(dirB.Path, database: database, keyFile: other));
        Assert.Contains("every EMS node of one database needs the same key file", wrong.Message);

        using var b = EmsStore.Open(dirB.Path, database: database, keyFile: NodeKey(dirA));
        using var ringA = PostureGate.Ems.Tokens.SigningKeyRing.Open(a);
        using var ringB = PostureGate.Ems.Tokens.SigningKeyRing.Open(b);
        Assert.Equal(ringA.Active.Kid, ringB.Active.Kid);
        using var caA = PostureGate.Ems.Enrollment.EndpointCertificateAuthority.LoadOrCreate(a);
        using var caB = PostureGate.Ems.Enrollment.EndpointCertificateAuthority.LoadOrCreate(b);
        Assert.Equal(caA.Certificate.Thumbprint, caB.Certificate.Thumbprint);
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
    public void AKeyFile_WithSQLite_IsRefused()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<ArgumentException>(() => EmsStore.Open(dir.Path, keyFile: Path.Combine(dir.Path, "cluster.key")));
        Assert.Contains("--database", e.Message);
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

    private static string NodeKey(TempDirectory firstNode) => Path.Combine(firstNode.Path, NodeKeyFile.DefaultFileName);
}
