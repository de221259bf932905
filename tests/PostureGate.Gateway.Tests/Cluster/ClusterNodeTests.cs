// ClusterNode against a real PostgreSQL: joining (the node-name check), leasing through the shared
// pool, and the database going away and coming back (new leases refused with one warning, no local
// fallback; healed by itself), and draining shared through the registry (RFC 5685 redirect targets).
using Microsoft.Extensions.Logging;
using Npgsql;
using PostureGate.Ems.Tests.Postgres;
using PostureGate.Gateway.Cluster;
using PostureGate.Ike.Config;
using PostureGate.Testing;

namespace PostureGate.Gateway.Tests.Cluster;

[Collection(PostgresCollection.Name)]
public sealed class ClusterNodeTests(PostgresCluster postgres)
{
    private static readonly Ipv4Range[] Range = [Ipv4Range.Parse("10.212.134.1", "10.212.134.20")];
    // No heartbeat runs in these tests: they are not attached to an IKE layer.
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(10);

    [SkippableFact]
    public async Task A_second_node_with_a_live_nodes_name_cannot_join()
    {
        var db = postgres.NewDatabase();
        using var logs = new RecordingLoggerProvider();
        await using var first = ClusterStore.Create(db, "gw-a", TimeSpan.FromSeconds(30));
        await using var a = await ClusterNode.JoinAsync(first, logs.CreateLogger("cluster"), Heartbeat, default);
        await using var second = ClusterStore.Create(db, "gw-a", TimeSpan.FromSeconds(30));

        var e = await Assert.ThrowsAsync<ClusterDatabaseException>(() => ClusterNode.JoinAsync(second, logs.CreateLogger("cluster"), Heartbeat, default));

        Assert.Contains("node name 'gw-a' is held by a live node", e.Message);
    }

    [SkippableFact]
    public async Task With_the_database_away_new_leases_are_refused_with_one_warning_and_it_heals_when_it_returns()
    {
        var db = postgres.NewDatabase();
        var database = new NpgsqlConnectionStringBuilder(db).Database!;
        using var logs = new RecordingLoggerProvider();
        await using var store = ClusterStore.Create(db, "gw-a", TimeSpan.FromSeconds(30));
        await using var node = await ClusterNode.JoinAsync(store, logs.CreateLogger("cluster"), Heartbeat, default);
        var pool = Assert.IsAssignableFrom<ISharedAddressPool>(node.Pool("dialup", Range));
        await pool.ReserveAsync("dialup_0", "alice", default);
        Assert.Equal("10.212.134.1", pool.Lease("dialup_0")?.ToString());

        await AllowConnectionsAsync(database, false);
        try
        {
            await pool.ReserveAsync("dialup_1", "bob", default);
            await pool.ReserveAsync("dialup_2", "carol", default);

            Assert.Null(pool.Lease("dialup_1"));
            Assert.Null(pool.Lease("dialup_2"));
            Assert.False(node.Reachable);
            // The tunnel leased before keeps its address.
            Assert.Equal("10.212.134.1", pool.Lease("dialup_0")?.ToString());
            var warning = Assert.Single(logs.Entries, l => l.Level >= LogLevel.Warning);
            Assert.Equal(LogLevel.Warning, warning.Level);
            Assert.Contains("new connections get INTERNAL_ADDRESS_FAILURE until it returns", warning.Message);
            Assert.Null(warning.Exception);
        }
        finally
        {
            await AllowConnectionsAsync(database, true);
        }

        await pool.ReserveAsync("dialup_1", "bob", default);
        Assert.Equal("10.212.134.2", pool.Lease("dialup_1")?.ToString());
        Assert.True(node.Reachable);
        Assert.Contains(logs.Entries, l => l.Level == LogLevel.Information && l.Message.Contains("reachable again"));
    }

    [SkippableFact]
    public async Task Draining_is_recorded_in_the_cluster_and_the_other_node_stops_redirecting_there_until_it_ends()
    {
        var db = postgres.NewDatabase();
        await using var a = await Joined.AtAsync(db, "gw-a", "192.0.2.1:500");
        await using var b = await Joined.AtAsync(db, "gw-b", "192.0.2.2:500");
        var bLocal = System.Net.IPAddress.Parse("192.0.2.2");
        await b.Node.BeatAsync("192.0.2.2:500", default);
        Assert.Equal("192.0.2.1", b.Node.RedirectTargets.Pick(bLocal, null)?.ToString());

        await a.Node.SetDrainingAsync(true, default);

        Assert.True(Assert.Single(await b.Store.NodeLoadsAsync(default), l => l.Name == "gw-a").Draining);
        await b.Node.BeatAsync("192.0.2.2:500", default);
        Assert.Null(b.Node.RedirectTargets.Pick(bLocal, null));

        await a.Node.SetDrainingAsync(false, default);

        Assert.False(Assert.Single(await b.Store.NodeLoadsAsync(default), l => l.Name == "gw-a").Draining);
        await b.Node.BeatAsync("192.0.2.2:500", default);
        Assert.Equal("192.0.2.1", b.Node.RedirectTargets.Pick(bLocal, null)?.ToString());
    }

    [SkippableFact]
    public async Task A_drain_while_the_database_is_away_is_recorded_at_the_next_good_heartbeat()
    {
        var db = postgres.NewDatabase();
        await using var a = await Joined.AtAsync(db, "gw-a", "192.0.2.1:500");

        await AllowConnectionsAsync(new NpgsqlConnectionStringBuilder(db).Database!, false);
        try
        {
            await Assert.ThrowsAsync<ClusterDatabaseException>(() => a.Node.SetDrainingAsync(true, default));
        }
        finally
        {
            await AllowConnectionsAsync(new NpgsqlConnectionStringBuilder(db).Database!, true);
        }
        Assert.False(Assert.Single(await a.Store.NodeLoadsAsync(default)).Draining);

        await a.Node.BeatAsync("192.0.2.1:500", default);

        Assert.True(Assert.Single(await a.Store.NodeLoadsAsync(default)).Draining);
    }

    /// <summary>A node joined under <c>name</c> with its IKE address recorded; disposing leaves and closes its store.</summary>
    private sealed class Joined(ClusterStore store, ClusterNode node) : IAsyncDisposable
    {
        public ClusterStore Store { get; } = store;
        public ClusterNode Node { get; } = node;

        public static async Task<Joined> AtAsync(string db, string name, string address)
        {
            var store = ClusterStore.Create(db, name, TimeSpan.FromSeconds(30));
            var node = await ClusterNode.JoinAsync(store, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, Heartbeat, default);
            await store.SetAddressAsync(address, default);
            return new Joined(store, node);
        }

        public async ValueTask DisposeAsync()
        {
            await Node.DisposeAsync();
            await Store.DisposeAsync();
        }
    }

    /// <summary>ALLOW_CONNECTIONS false and its sessions ended: to the node, the database is unreachable.</summary>
    private async Task AllowConnectionsAsync(string database, bool allow)
    {
        await using var admin = new NpgsqlConnection(postgres.AdminConnectionString);
        await admin.OpenAsync();
        await using var alter = new NpgsqlCommand($"ALTER DATABASE {database} ALLOW_CONNECTIONS {(allow ? "true" : "false")}", admin);
        await alter.ExecuteNonQueryAsync();
        if (allow)
            return;
        await using var end = new NpgsqlCommand("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = @d AND pid <> pg_backend_pid()", admin);
        end.Parameters.AddWithValue("d", database);
        await end.ExecuteNonQueryAsync();
    }
}
