// What the web console keeps in the EMS database, on both engines: admin accounts (one per normalized
// name), the audit, where an endpoint's tags come from, and a rule's effect previewed without saving.
using PostureGate.Ems.Storage;
using PostureGate.Ems.Tests.Postgres;
using PostureGate.Web.Accounts;
using PostureGate.Web.Audit;

namespace PostureGate.Ems.Tests.Storage;

[Collection(PostgresCollection.Name)]
public class ConsoleStoreTests(PostgresCluster cluster)
{
    private const string Alice = "A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1";
    private const string Bob = "B0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B0";

    [SkippableTheory]
    [InlineData(StoreEngine.Sqlite)]
    [InlineData(StoreEngine.Postgres)]
    public void AdminAccounts_AddFindUpdateRemove(StoreEngine engine)
    {
        using var dir = new TempDirectory();
        using var store = StoreEngines.Open(engine, cluster, dir.Path, new ManualTime(DateTimeOffset.FromUnixTimeSeconds(1769757787)));
        var account = AdminPasswords.Create("alice", "alice password 1", AdminRole.ReadOnly, store.Time.GetUtcNow());

        Assert.True(store.AddAdmin(account));
        Assert.False(store.AddAdmin(account with { Role = AdminRole.ReadWrite }));
        Assert.Equal(account, store.FindAdmin("alice"));
        Assert.True(store.UpdateAdmin(account with { Role = AdminRole.ReadWrite, Stamp = "S2" }));
        Assert.Equal(AdminRole.ReadWrite, store.FindAdmin("alice")!.Role);
        Assert.Equal("S2", store.FindAdmin("alice")!.Stamp);
        Assert.False(store.UpdateAdmin(account with { Name = "nobody" }));
        Assert.True(store.RemoveAdmin("alice"));
        Assert.Null(store.FindAdmin("alice"));
        Assert.Empty(store.ListAdmins());
    }

    [SkippableTheory]
    [InlineData(StoreEngine.Sqlite)]
    [InlineData(StoreEngine.Postgres)]
    public void Audit_IsReadNewestFirst(StoreEngine engine)
    {
        using var dir = new TempDirectory();
        using var store = StoreEngines.Open(engine, cluster, dir.Path, new ManualTime(DateTimeOffset.FromUnixTimeSeconds(1769757787)));
        var at = DateTimeOffset.FromUnixTimeSeconds(1769757787);
        store.AppendAudit(new ConsoleAuditEntry(at, "admin", "192.0.2.1", "tag.assign", Alice, "quarantine"));
        store.AppendAudit(new ConsoleAuditEntry(at.AddSeconds(1), "admin", "192.0.2.1", "tag.unassign", Alice, "quarantine"));

        var read = store.ReadAudit(10);

        Assert.Equal(["tag.unassign", "tag.assign"], read.Select(a => a.Action));
        Assert.Equal(new ConsoleAuditEntry(at, "admin", "192.0.2.1", "tag.assign", Alice, "quarantine"), read[1]);
        Assert.Single(store.ReadAudit(1));
    }

    [SkippableTheory]
    [InlineData(StoreEngine.Sqlite)]
    [InlineData(StoreEngine.Postgres)]
    public void TagSources_SayAdminRuleOrBoth(StoreEngine engine)
    {
        using var dir = new TempDirectory();
        using var store = StoreEngines.Open(engine, cluster, dir.Path, new ManualTime(DateTimeOffset.FromUnixTimeSeconds(1769757787)));
        TestEndpoints.Report(store, """{"av":{"running":true}}""", Alice);
        Assert.True(store.SetRule("av_on", "av.running == true").Succeeded);
        Assert.True(store.AssignTag("av_on", Alice).Succeeded);
        Assert.True(store.AssignTag("quarantine", Alice).Succeeded);

        var sources = store.TagSources(Alice).ToDictionary(s => s.Tag);

        Assert.Equal((true, true, "av.running == true"), (sources["av_on"].ByAdmin, sources["av_on"].ByRule, sources["av_on"].Expression));
        Assert.Equal((true, false), (sources["quarantine"].ByAdmin, sources["quarantine"].ByRule));
        Assert.Equal((false, true), (sources["all_registered_clients"].ByAdmin, sources["all_registered_clients"].ByRule));
        Assert.Empty(store.TagSources("not a uid"));
    }

    [SkippableTheory]
    [InlineData(StoreEngine.Sqlite)]
    [InlineData(StoreEngine.Postgres)]
    public void PreviewRule_NamesGainAndLoss_AndSavesNothing(StoreEngine engine)
    {
        using var dir = new TempDirectory();
        using var store = StoreEngines.Open(engine, cluster, dir.Path, new ManualTime(DateTimeOffset.FromUnixTimeSeconds(1769757787)));
        TestEndpoints.Report(store, """{"os":{"build":19045}}""", Alice);
        TestEndpoints.Report(store, """{"os":{"build":17763}}""", Bob);
        Assert.True(store.SetRule("new_os", "os.build >= 19000").Succeeded);
        var version = store.CurrentVersion();

        var preview = store.PreviewRule("new_os", "os.build < 19000", out var error);

        Assert.Null(error);
        Assert.Equal([Bob], preview!.Gain.Select(e => e.Uid));
        Assert.Equal([Alice], preview.Lose.Select(e => e.Uid));
        Assert.Equal(0, preview.Keep);
        Assert.Equal(version, store.CurrentVersion());
        Assert.Equal("os.build >= 19000", store.ListTags().Single(t => t.Name == "new_os").Expression);

        // An admin assignment survives any rule: the preview does not count it as lost.
        Assert.True(store.AssignTag("new_os", Alice).Succeeded);
        Assert.DoesNotContain(store.PreviewRule("new_os", "false", out _)!.Lose, e => e.Uid == Alice);
    }

    [Fact]
    public void PreviewRule_ABadRuleSaysWhere()
    {
        using var dir = new TempDirectory();
        using var store = EmsStore.Open(dir.Path);

        Assert.Null(store.PreviewRule("x", "os.build >=", out var error));
        Assert.StartsWith("column ", error);
    }
}
