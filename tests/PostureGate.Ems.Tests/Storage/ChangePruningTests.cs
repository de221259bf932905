// The change log is pruned to its newest rows (issue 12 "Floods": the EMS `changes` table grew
// without end); a stream resuming from before what is kept is told to take a snapshot.
using System.Net;
using PostureGate.Ems.Model;
using PostureGate.Ems.Storage;
using PostureGate.Ems.Tests.Postgres;

namespace PostureGate.Ems.Tests.Storage;

[Collection(PostgresCollection.Name)]
public class ChangePruningTests(PostgresCluster cluster)
{
    [SkippableTheory]
    [InlineData(StoreEngine.Sqlite)]
    [InlineData(StoreEngine.Postgres)]
    public void Pruning_keeps_the_newest_changes_and_the_version_never_goes_back(StoreEngine engine)
    {
        using var dir = new TempDirectory();
        using var store = StoreEngines.Open(engine, cluster, dir.Path);
        for (var i = 0; i < 10; i++)
            Assert.Equal(EmsOutcome.Ok, store.DefineTag($"t{i}", 2).Outcome);
        var current = store.CurrentVersion();

        Assert.True(store.PruneChanges(keep: 3) > 0);
        Assert.Equal(current, store.CurrentVersion());
        Assert.Equal(current - 2, store.OldestChangeVersion());
        Assert.Equal([current - 2, current - 1, current], store.ReadChanges(0).Select(c => c.Version));

        Assert.Equal(0, store.PruneChanges(keep: 3));
        // AUTOINCREMENT (an identity column): the next change continues after the newest, pruned or not.
        Assert.Equal(current + 1, store.DefineTag("after", 2).Version);
        Assert.Throws<ArgumentOutOfRangeException>(() => store.PruneChanges(keep: 0));
    }

    [SkippableTheory]
    [InlineData(StoreEngine.Sqlite)]
    [InlineData(StoreEngine.Postgres)]
    public void Pruning_in_small_batches_still_keeps_exactly_the_newest(StoreEngine engine)
    {
        using var dir = new TempDirectory();
        using var store = StoreEngines.Open(engine, cluster, dir.Path);
        for (var i = 0; i < 10; i++)
            Assert.Equal(EmsOutcome.Ok, store.DefineTag($"t{i}", 2).Outcome);
        var current = store.CurrentVersion();
        var before = store.ReadChanges(0, 100).Count;

        Assert.Equal(before - 3, store.PruneChanges(keep: 3, batch: 2));
        Assert.Equal([current - 2, current - 1, current], store.ReadChanges(0).Select(c => c.Version));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.PruneChanges(keep: 3, batch: 0));
    }

    [Fact]
    public async Task Resuming_from_a_pruned_version_is_a_conflict_and_from_a_kept_one_streams()
    {
        await using var ems = await TestEms.StartAsync();
        for (var i = 0; i < 5; i++)
            Assert.Equal(EmsOutcome.Ok, ems.Server.Store.DefineTag($"t{i}", 2).Outcome);
        ems.Server.Store.PruneChanges(keep: 2);
        var oldest = ems.Server.Store.OldestChangeVersion()!.Value;

        var pruned = await ems.Gateway.GetAsync(EmsApiRoutes.Changes + $"?since={oldest - 2}");
        Assert.Equal(HttpStatusCode.Conflict, pruned.StatusCode);
        Assert.Contains("no longer kept", await pruned.Content.ReadAsStringAsync());

        await using var kept = await SseReader.OpenAsync(ems.Gateway, EmsApiRoutes.Changes + $"?since={oldest - 1}");
        Assert.Equal([oldest, oldest + 1], (await kept.TakeAsync(2, TimeSpan.FromSeconds(30))).Select(e => e.Id));
    }
}
