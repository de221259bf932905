// ClusterStore against a real PostgreSQL (a private cluster the tests start): shared leases across
// two nodes (two stores, two connection pools), last_owner, the node-name check, reclaim by the
// database's clock, the session registry and cross-node commands.
using System.Collections.Concurrent;
using Npgsql;
using PostureGate.Ems.Tests.Postgres;
using PostureGate.Gateway.Cluster;
using PostureGate.Ike.Config;

namespace PostureGate.Gateway.Tests.Cluster;

[Collection(PostgresCollection.Name)]
public sealed class ClusterStoreTests(PostgresCluster postgres)
{
    private static readonly Ipv4Range[] Range = [Ipv4Range.Parse("10.212.134.1", "10.212.134.20")];
    private static readonly TimeSpan Stale = TimeSpan.FromSeconds(30);

    private static async Task<ClusterStore> NodeAsync(string database, string name, TimeSpan? stale = null)
    {
        var store = ClusterStore.Create(database, name, stale ?? Stale);
        await store.MigrateAsync(default);
        Assert.Null(await store.RegisterAsync("192.0.2.1:500", default));
        return store;
    }

    private static string Text(uint? address) => address is { } a ? PostureGate.Net.Ipv4.ToAddress(a).ToString() : "none";

    [SkippableFact]
    public async Task Two_nodes_lease_distinct_addresses_lowest_free_first()
    {
        var db = postgres.NewDatabase();
        await using var a = await NodeAsync(db, "gw-a");
        await using var b = await NodeAsync(db, "gw-b");

        Assert.Equal("10.212.134.1", Text(await a.LeaseAsync("dialup", Range, "dialup_0", "alice", default)));
        Assert.Equal("10.212.134.2", Text(await b.LeaseAsync("dialup", Range, "dialup_0", "bob", default)));
        // Asking again for the same instance (a retransmit) keeps its address.
        Assert.Equal("10.212.134.1", Text(await a.LeaseAsync("dialup", Range, "dialup_0", "alice", default)));
        await a.ReleaseAsync("dialup", "dialup_0", default);
        Assert.Equal("10.212.134.1", Text(await b.LeaseAsync("dialup", Range, "dialup_1", "carol", default)));
    }

    [SkippableFact]
    public async Task A_user_gets_the_same_address_again_through_the_other_node_while_it_is_free()
    {
        var db = postgres.NewDatabase();
        await using var a = await NodeAsync(db, "gw-a");
        await using var b = await NodeAsync(db, "gw-b");
        await a.LeaseAsync("dialup", Range, "dialup_0", "filler", default);
        Assert.Equal("10.212.134.2", Text(await a.LeaseAsync("dialup", Range, "dialup_1", "alice", default)));
        await a.ReleaseAsync("dialup", "dialup_0", default);
        await a.ReleaseAsync("dialup", "dialup_1", default);

        // .1 is the lowest free, but alice last held .2.
        Assert.Equal("10.212.134.2", Text(await b.LeaseAsync("dialup", Range, "dialup_7", "alice", default)));
        await b.ReleaseAsync("dialup", "dialup_7", default);
        // Taken meanwhile by another user: alice gets the lowest free one instead.
        Assert.Equal("10.212.134.1", Text(await a.LeaseAsync("dialup", Range, "dialup_2", "bob", default)));
        Assert.Equal("10.212.134.2", Text(await a.LeaseAsync("dialup", Range, "dialup_3", "carol", default)));
        Assert.Equal("10.212.134.3", Text(await b.LeaseAsync("dialup", Range, "dialup_8", "alice", default)));
    }

    [SkippableFact]
    public async Task An_exhausted_pool_leases_nothing()
    {
        var db = postgres.NewDatabase();
        await using var a = await NodeAsync(db, "gw-a");
        Ipv4Range[] two = [Ipv4Range.Parse("10.212.134.1", "10.212.134.2")];
        Assert.NotNull(await a.LeaseAsync("dialup", two, "dialup_0", "u0", default));
        Assert.NotNull(await a.LeaseAsync("dialup", two, "dialup_1", "u1", default));
        Assert.Null(await a.LeaseAsync("dialup", two, "dialup_2", "u2", default));
    }

    [SkippableFact]
    public async Task A_thousand_leases_and_releases_racing_on_two_nodes_never_lease_an_address_twice()
    {
        var db = postgres.NewDatabase();
        await using var a = await NodeAsync(db, "gw-a");
        await using var b = await NodeAsync(db, "gw-b");
        // Who holds each address now, by our own count: a second holder is a double lease.
        var holders = new ConcurrentDictionary<uint, string>();
        var doubles = new ConcurrentBag<string>();
        var leased = 0;
        async Task Worker(ClusterStore node, int worker)
        {
            for (var i = 0; i < 125; i++)
            {
                var instance = $"w{worker}_{i}";
                if (await node.LeaseAsync("dialup", Range, instance, $"user{(worker * 7 + i) % 30}", default) is not { } address)
                    continue;
                Interlocked.Increment(ref leased);
                if (!holders.TryAdd(address, node.Node + "/" + instance))
                    doubles.Add($"{Text(address)}: {holders.GetValueOrDefault(address)} and {node.Node}/{instance}");
                await Task.Yield();
                // Forgotten before the database frees it, so a new holder can never be seen early.
                holders.TryRemove(address, out _);
                await node.ReleaseAsync("dialup", instance, default);
            }
        }
        // 4 workers per node × 125 = 500 lease/release pairs per node, 1,000 in all, on a pool of 20.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(() => Worker(w % 2 == 0 ? a : b, w))));

        Assert.Empty(doubles);
        Assert.True(leased > 100, $"only {leased} leases succeeded");
        await using var check = new NpgsqlConnection(db);
        await check.OpenAsync();
        await using var q = new NpgsqlCommand("SELECT count(*) FROM pgate_gateway.leases", check);
        Assert.Equal(0L, (long)(await q.ExecuteScalarAsync())!);
    }

    [SkippableFact]
    public async Task A_second_live_node_with_the_same_name_is_refused()
    {
        var db = postgres.NewDatabase();
        await using var a = await NodeAsync(db, "gw-a");
        await using var twin = ClusterStore.Create(db, "gw-a", Stale);
        await twin.MigrateAsync(default);

        var refusal = await twin.RegisterAsync("192.0.2.2:500", default);

        Assert.NotNull(refusal);
        Assert.Contains("node name 'gw-a' is held by a live node (192.0.2.1:500", refusal);
        Assert.True(await a.HeartbeatAsync(default));
    }

    [SkippableFact]
    public async Task A_silent_node_is_reclaimed_by_the_database_clock_and_its_addresses_are_free_again()
    {
        var db = postgres.NewDatabase();
        await using var a = await NodeAsync(db, "gw-a");
        await using var b = await NodeAsync(db, "gw-b");
        Assert.Equal("10.212.134.1", Text(await a.LeaseAsync("dialup", Range, "dialup_0", "alice", default)));
        await b.PutSessionAsync(new ClusterSession("gw-b", "dialup_0", "dialup", "bob", null, "10.212.134.2", "198.51.100.7:4500", DateTimeOffset.UtcNow), default);

        // gw-a stays silent: its last heartbeat is older than StaleAfter by the database's clock
        // (whatever the clocks of the machines say; only now() is compared).
        await Execute(db, "UPDATE pgate_gateway.nodes SET heartbeat_at = now() - interval '31 seconds' WHERE name = 'gw-a'");
        Assert.True(await b.HeartbeatAsync(default));

        Assert.Equal("10.212.134.1", Text(await b.LeaseAsync("dialup", Range, "dialup_1", "carol", default)));
        Assert.False(await a.HeartbeatAsync(default));
        var refused = await Assert.ThrowsAsync<ClusterDatabaseException>(() => a.LeaseAsync("dialup", Range, "dialup_2", "dave", default));
        Assert.Contains("was reclaimed", refused.Message);
        // Registered again, the old address is another node's now.
        Assert.Null(await a.RegisterAsync("192.0.2.1:500", default));
        Assert.False(await a.RestoreLeaseAsync("dialup", PostureGate.Net.Ipv4.ToUInt32(System.Net.IPAddress.Parse("10.212.134.1")), "dialup_0", "alice", default));
        Assert.Equal(["gw-b"], (await b.SessionsAsync(default)).Select(s => s.Node).Distinct());
    }

    [SkippableFact]
    public async Task A_node_within_its_heartbeat_interval_is_kept()
    {
        var db = postgres.NewDatabase();
        await using var a = await NodeAsync(db, "gw-a");
        await using var b = await NodeAsync(db, "gw-b");
        await a.LeaseAsync("dialup", Range, "dialup_0", "alice", default);
        await Execute(db, "UPDATE pgate_gateway.nodes SET heartbeat_at = now() - interval '20 seconds' WHERE name = 'gw-a'");

        Assert.True(await b.HeartbeatAsync(default));

        Assert.Equal("10.212.134.2", Text(await b.LeaseAsync("dialup", Range, "dialup_1", "carol", default)));
        Assert.True(await a.HeartbeatAsync(default));
    }

    [SkippableFact]
    public async Task The_registry_lists_every_node_and_a_clear_reaches_the_owning_node_once()
    {
        var db = postgres.NewDatabase();
        await using var a = await NodeAsync(db, "gw-a");
        await using var b = await NodeAsync(db, "gw-b");
        await a.PutSessionAsync(new ClusterSession("gw-a", "dialup_0", "dialup", "alice", "6108A917", "10.212.134.1", "198.51.100.7:4500", DateTimeOffset.UtcNow), default);
        await b.PutSessionAsync(new ClusterSession("gw-b", "dialup_0", "dialup", "bob", null, "10.212.134.2", "198.51.100.8:4500", DateTimeOffset.UtcNow), default);

        var fleet = await b.SessionsAsync(default);
        Assert.Equal(["gw-a/alice/6108A917", "gw-b/bob/"], fleet.Select(s => $"{s.Node}/{s.User}/{s.Uid}"));
        var loads = await b.NodeLoadsAsync(default);
        Assert.Equal(["gw-a:1", "gw-b:1"], loads.Select(l => $"{l.Name}:{l.Sessions}"));
        Assert.All(loads, l => Assert.True(l.Alive));

        Assert.True(await b.SendCommandAsync("gw-a", ClusterCommand.Clear, "dialup_0", default));
        Assert.False(await b.SendCommandAsync("gw-nowhere", ClusterCommand.Clear, "dialup_0", default));
        Assert.Empty(await b.TakeCommandsAsync(default));
        var taken = Assert.Single(await a.TakeCommandsAsync(default));
        Assert.Equal((ClusterCommand.Clear, "dialup_0"), (taken.Verb, taken.Instance));
        Assert.Empty(await a.TakeCommandsAsync(default));

        await a.RemoveSessionAsync("dialup_0", default);
        Assert.Equal(["gw-b"], (await b.SessionsAsync(default)).Select(s => s.Node));
    }

    [SkippableFact]
    public async Task Leaving_frees_the_node_name_and_its_leases()
    {
        var db = postgres.NewDatabase();
        await using var a = await NodeAsync(db, "gw-a");
        await a.LeaseAsync("dialup", Range, "dialup_0", "alice", default);
        await a.LeaveAsync(default);

        await using var again = await NodeAsync(db, "gw-a");
        Assert.Equal("10.212.134.1", Text(await again.LeaseAsync("dialup", Range, "dialup_0", "bob", default)));
    }

    [Fact]
    public async Task An_unreachable_database_is_one_line_without_the_password()
    {
        var dir = Path.Combine(Path.GetTempPath(), "pgate-none-" + Guid.NewGuid().ToString("N")[..8]);
        await using var store = ClusterStore.Create($"Host={dir};Database=gw;Username=pgate;Password=hunter2secret", "gw-a", Stale);

        var e = await Assert.ThrowsAsync<ClusterDatabaseException>(() => store.MigrateAsync(default));

        Assert.StartsWith($"cluster database postgresql://pgate@{dir}:5432/gw: preparing the schema: ", e.Message);
        Assert.DoesNotContain("hunter2secret", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("Host=db;Username=u", "must name the database")]
    [InlineData("Database=gw;Username=u", "must name the server")]
    [InlineData("Host=db;Database=gw;NoSuchKeyword=1", "is not a PostgreSQL connection string")]
    public void A_bad_connection_string_is_refused_with_a_line_naming_the_fault(string text, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => ClusterStore.Create(text, "gw-a", Stale));
        Assert.Contains(expected, e.Message);
    }

    private static async Task Execute(string database, string sql)
    {
        await using var c = new NpgsqlConnection(database);
        await c.OpenAsync();
        await using var q = new NpgsqlCommand(sql, c);
        await q.ExecuteNonQueryAsync();
    }
}
