using System.Text.Json;
using PostureGate.Ems.Model;
using PostureGate.Ems.Storage;
using PostureGate.Ems.Tests.Postgres;

namespace PostureGate.Ems.Tests.Storage;

[Collection(PostgresCollection.Name)]
public class EmsStoreTests(PostgresCluster cluster)
{
    private const string Uid = "F8A6AFF3531843B4972CBDBEEEB30E3C";

    [SkippableTheory]
    [InlineData(StoreEngine.Sqlite)]
    [InlineData(StoreEngine.Postgres)]
    public void SameReport_IsNotAChange_ButRefreshesLastSeen(StoreEngine engine)
    {
        using var dir = new TempDirectory();
        var time = new ManualTime(DateTimeOffset.FromUnixTimeSeconds(1769757787));
        using var store = StoreEngines.Open(engine, cluster, dir.Path, time);
        var first = Report(store, """{"av":{"running":true}}""");
        Assert.Equal(EmsOutcome.Ok, first.Outcome);

        time.Advance(TimeSpan.FromMinutes(10));
        Assert.False(store.IsOnline(store.FindByUid(Uid)!));
        var again = Report(store, """{"av":{"running":true}}""");
        Assert.Equal(EmsOutcome.Unchanged, again.Outcome);
        Assert.Equal(first.Version, again.Version);
        Assert.Equal(first.Version, store.CurrentVersion());
        Assert.Equal(time.GetUtcNow().ToUnixTimeSeconds(), store.FindByUid(Uid)!.LastSeen);
        Assert.True(store.IsOnline(store.FindByUid(Uid)!));
    }

    [SkippableTheory]
    [InlineData(StoreEngine.Sqlite)]
    [InlineData(StoreEngine.Postgres)]
    public void GoingOffline_IsLoggedOnce_AndComingBackIsLogged(StoreEngine engine)
    {
        using var dir = new TempDirectory();
        var time = new ManualTime(DateTimeOffset.FromUnixTimeSeconds(1769757787));
        using var store = StoreEngines.Open(engine, cluster, dir.Path, time);
        Report(store, "{}");
        Assert.Equal(EmsOutcome.Unchanged, store.SweepOffline().Outcome);

        time.Advance(store.OnlineWindow + TimeSpan.FromSeconds(1));
        var swept = store.SweepOffline();
        Assert.Equal(EmsOutcome.Ok, swept.Outcome);
        var offline = store.ReadChanges(swept.Version - 1).Single();
        Assert.Equal(ChangeKinds.EndpointUpdated, offline.Kind);
        Assert.False(JsonDocument.Parse(offline.Data).RootElement.GetProperty("online").GetBoolean());
        Assert.Equal(EmsOutcome.Unchanged, store.SweepOffline().Outcome);

        var back = Report(store, "{}");
        Assert.Equal(EmsOutcome.Ok, back.Outcome);
        Assert.True(JsonDocument.Parse(store.ReadChanges(back.Version - 1).Single().Data).RootElement.GetProperty("online").GetBoolean());
        Assert.Equal(EmsOutcome.Unchanged, Report(store, "{}").Outcome);
    }

    [SkippableTheory]
    [InlineData(StoreEngine.Sqlite)]
    [InlineData(StoreEngine.Postgres)]
    public void ManyGoingOffline_AreLoggedInSeveralTransactions_EachOnce(StoreEngine engine)
    {
        using var dir = new TempDirectory();
        var time = new ManualTime(DateTimeOffset.FromUnixTimeSeconds(1769757787));
        using var store = StoreEngines.Open(engine, cluster, dir.Path, time);
        var uids = Enumerable.Range(1, 5).Select(i => i.ToString("X32")).ToList();
        foreach (var uid in uids)
            Report(store, "{}", uid);
        var start = store.CurrentVersion();

        time.Advance(store.OnlineWindow + TimeSpan.FromSeconds(1));
        var swept = store.SweepOffline(batch: 2);

        Assert.Equal(EmsOutcome.Ok, swept.Outcome);
        var logged = store.ReadChanges(start);
        Assert.Equal(uids, logged.Select(c => c.Subject));
        Assert.Equal(logged[^1].Version, swept.Version);
        Assert.All(logged, c => Assert.False(JsonDocument.Parse(c.Data).RootElement.GetProperty("online").GetBoolean()));
        Assert.Equal(EmsOutcome.Unchanged, store.SweepOffline(batch: 2).Outcome);
    }

    [SkippableTheory]
    [InlineData(StoreEngine.Sqlite)]
    [InlineData(StoreEngine.Postgres)]
    public void FactChange_ReevaluatesRules_InTheSameChange(StoreEngine engine)
    {
        using var dir = new TempDirectory();
        using var store = StoreEngines.Open(engine, cluster, dir.Path);
        Assert.True(store.SetRule("av_on", "av.running", 2).Succeeded);
        Report(store, """{"av":{"running":false}}""");
        Assert.DoesNotContain(store.FindByUid(Uid)!.Tags, t => t.Name == "av_on");

        var change = Report(store, """{"av":{"running":true}}""");
        Assert.Equal(EmsOutcome.Ok, change.Outcome);
        Assert.Contains(new TagRef("av_on", 2), store.FindByUid(Uid)!.Tags);
        var logged = store.ReadChanges(change.Version - 1).Single();
        Assert.Equal(ChangeKinds.EndpointUpdated, logged.Kind);
        Assert.Contains("\"av_on\"", logged.Data);
    }

    [SkippableTheory]
    [InlineData(StoreEngine.Sqlite)]
    [InlineData(StoreEngine.Postgres)]
    public void RuleChanges_ReevaluateEveryEndpoint_AndRepeatsAreUnchanged(StoreEngine engine)
    {
        using var dir = new TempDirectory();
        using var store = StoreEngines.Open(engine, cluster, dir.Path);
        Report(store, """{"os":{"build":19045}}""");
        Report(store, """{"os":{"build":9200}}""", "00000000000000000000000000000002");

        var set = store.SetRule("os_current", "os.build >= 19045");
        Assert.Equal(EmsOutcome.Ok, set.Outcome);
        Assert.Equal([Uid], Holders(store, "os_current"));
        Assert.Equal(EmsOutcome.Unchanged, store.SetRule("os_current", "os.build >= 19045").Outcome);

        var widened = store.SetRule("os_current", "os.build >= 9000");
        Assert.Equal(["00000000000000000000000000000002", Uid], Holders(store, "os_current"));
        var kinds = store.ReadChanges(set.Version).Select(c => (c.Kind, c.Subject)).ToList();
        Assert.Equal([(ChangeKinds.TagDefined, "os_current"), (ChangeKinds.EndpointUpdated, "00000000000000000000000000000002")], kinds);
        Assert.Equal(widened.Version, store.CurrentVersion());

        Assert.Equal(EmsOutcome.Ok, store.RemoveRule("os_current").Outcome);
        Assert.Empty(Holders(store, "os_current"));
        Assert.Contains(store.ListTags(), t => t is { Name: "os_current", Expression: null });
    }

    [SkippableTheory]
    [InlineData(StoreEngine.Sqlite)]
    [InlineData(StoreEngine.Postgres)]
    public void Retyping_ATag_LogsEveryHolder(StoreEngine engine)
    {
        using var dir = new TempDirectory();
        using var store = StoreEngines.Open(engine, cluster, dir.Path);
        Report(store, "{}");
        Assert.True(store.AssignTag("Low", Uid).Succeeded);
        var before = store.CurrentVersion();

        Assert.Equal(EmsOutcome.Ok, store.DefineTag("Low", 3).Outcome);
        Assert.Contains(new TagRef("Low", 3), store.FindByUid(Uid)!.Tags);
        Assert.Equal([ChangeKinds.TagDefined, ChangeKinds.EndpointUpdated], store.ReadChanges(before).Select(c => c.Kind));
        Assert.Equal(EmsOutcome.Unchanged, store.DefineTag("Low", 3).Outcome);

        Assert.Equal(EmsOutcome.Ok, store.DeleteTag("Low").Outcome);
        Assert.DoesNotContain(store.FindByUid(Uid)!.Tags, t => t.Name == "Low");
        Assert.Equal(EmsOutcome.NotFound, store.DeleteTag("Low").Outcome);
    }

    [SkippableTheory]
    [InlineData(StoreEngine.Sqlite)]
    [InlineData(StoreEngine.Postgres)]
    public void AssignTwice_IsUnchanged_AndVersionsOnlyGrow(StoreEngine engine)
    {
        using var dir = new TempDirectory();
        using var store = StoreEngines.Open(engine, cluster, dir.Path);
        Report(store, "{}");
        var first = store.AssignTag("a", Uid);
        Assert.Equal(EmsOutcome.Ok, first.Outcome);
        Assert.Equal(EmsOutcome.Unchanged, store.AssignTag("a", Uid).Outcome);
        var removed = store.UnassignTag("a", Uid);
        Assert.True(removed.Version > first.Version);
        var versions = store.ReadChanges(0).Select(c => c.Version).ToList();
        Assert.Equal(versions.Order(), versions);
        Assert.Equal(versions.Distinct().Count(), versions.Count);
    }

    [SkippableTheory]
    [InlineData(StoreEngine.Sqlite)]
    [InlineData(StoreEngine.Postgres)]
    public async Task ConcurrentRegistrations_AllCommitted_WithDistinctVersions(StoreEngine engine)
    {
        using var dir = new TempDirectory();
        using var store = StoreEngines.Open(engine, cluster, dir.Path);
        var uids = Enumerable.Range(1, 24).Select(i => i.ToString("X32")).ToList();
        var results = await Task.WhenAll(uids.Select(uid => Task.Run(() => Report(store, "{}", uid))));
        Assert.All(results, r => Assert.Equal(EmsOutcome.Ok, r.Outcome));
        Assert.Equal(uids.Count, results.Select(r => r.Version).Distinct().Count());
        Assert.Equal(uids, store.ListEndpoints().Select(e => e.Uid));
        Assert.Equal(uids.Count, Holders(store, "all_registered_clients").Count);
    }

    [SkippableTheory]
    [InlineData(StoreEngine.Sqlite)]
    [InlineData(StoreEngine.Postgres)]
    public void PartialReport_KeepsWhatItOmits_AndItsChangeCarriesTheRecordAsStored(StoreEngine engine)
    {
        // A report's record and tags are worked out in the store, not read back: the change a gateway
        // hears must still be exactly what the database now holds.
        using var dir = new TempDirectory();
        var time = new ManualTime(DateTimeOffset.FromUnixTimeSeconds(1769757787));
        using var store = StoreEngines.Open(engine, cluster, dir.Path, time);
        Assert.True(store.SetRule("av_on", "av.running", 2).Succeeded);
        Assert.True(store.SetRule("av_off", "not av.running", 3).Succeeded);
        Report(store, """{"av":{"running":false}}""");
        Assert.True(store.AssignTag("vip", Uid).Succeeded);
        Assert.True(store.AssignTag("av_on", Uid).Succeeded);
        var first = store.FindByUid(Uid)!;

        time.Advance(TimeSpan.FromMinutes(1));
        using var facts = JsonDocument.Parse("""{"av":{"running":true}}""");
        Assert.True(EndpointReport.TryCreate(new EndpointReportRequest(Uid, null, null, null, null, null, "10.160.1.198", null, facts.RootElement),
            null, out var partial, out var error), error);
        var result = store.Report(partial!, null, mustExist: true);

        Assert.Equal(EmsOutcome.Ok, result.Outcome);
        var stored = store.FindByUid(Uid)!;
        Assert.Equal(first.Host, stored.Host);
        Assert.Equal(first.Macs, stored.Macs);
        Assert.Equal(first.PublicIp, stored.PublicIp);
        Assert.Equal(first.ZtnaCertSn, stored.ZtnaCertSn);
        Assert.Equal(first.RegisteredAt, stored.RegisteredAt);
        Assert.Equal("10.160.1.198", stored.Ip);
        // av_on held by the admin and now by the rule too: listed once; av_off gone with its rule's verdict.
        Assert.Equal([new TagRef("all_registered_clients", 1), new TagRef("av_on", 2), new TagRef("vip", 1)], stored.Tags);
        var change = store.ReadChanges(result.Version - 1).Single();
        Assert.Equal(ChangeKinds.EndpointUpdated, change.Kind);
        Assert.Equal(EndpointJson.ToJson(stored, time.GetUtcNow().ToUnixTimeSeconds(), store.OnlineSeconds, includeFacts: false), change.Data);
    }

    [SkippableTheory]
    [InlineData(StoreEngine.Sqlite)]
    [InlineData(StoreEngine.Postgres)]
    public async Task Snapshot_IsValidJson_AtOneVersion(StoreEngine engine)
    {
        using var dir = new TempDirectory();
        using var store = StoreEngines.Open(engine, cluster, dir.Path);
        Report(store, "{}");
        Report(store, "{}", "00000000000000000000000000000002");
        using var buffer = new MemoryStream();
        var version = await store.WriteSnapshotAsync(buffer);
        using var snapshot = JsonDocument.Parse(buffer.ToArray());
        Assert.Equal(version, snapshot.RootElement.GetProperty("version").GetInt64());
        Assert.Equal(store.CurrentVersion(), version);
        Assert.Equal(2, snapshot.RootElement.GetProperty("endpoints").GetArrayLength());
    }

    private static EmsResult Report(EmsStore store, string facts, string uid = Uid) => TestEndpoints.Report(store, facts, uid);

    private static List<string> Holders(EmsStore store, string tag)
        => store.ListEndpoints().Where(e => e.Tags.Any(t => t.Name == tag)).Select(e => e.Uid).ToList();
}
