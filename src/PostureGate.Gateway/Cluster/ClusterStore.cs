// The gateway cluster's state in PostgreSQL (issue 16; docs/cluster.md): node registration and
// heartbeats, shared address-pool leases, the session registry and cross-node commands. Every
// time comparison uses the database's clock (now()), so a node with a skewed clock neither
// reclaims a live node's leases nor keeps a dead one's. Each method is one short transaction;
// failures surface as ClusterDatabaseException with a one-line reason.
using Npgsql;
using PostureGate.Ike.Config;
using PostureGate.Net;

namespace PostureGate.Gateway.Cluster;

public sealed class ClusterStore : IAsyncDisposable
{
    // Keys of pg_advisory_xact_lock: one for migrations, one per pool for leasing.
    private const string MigrationLock = "pgate_gateway.migrate";
    private const string PoolLockPrefix = "pgate_gateway.pool:";

    private readonly NpgsqlDataSource _source;

    private ClusterStore(NpgsqlDataSource source, string describe, string node, TimeSpan staleAfter)
    {
        _source = source;
        Describe = describe;
        Node = node;
        StaleAfter = staleAfter;
    }

    /// <summary>postgresql://USER@HOST:PORT/DATABASE: what messages name (never the password).</summary>
    public string Describe { get; }

    public string Node { get; }

    /// <summary>This process's registration; a restarted process under the same name gets another.</summary>
    public Guid Incarnation { get; } = Guid.NewGuid();

    /// <summary>A node whose heartbeat is older than this (by the database's clock) is dead: its leases and sessions go.</summary>
    public TimeSpan StaleAfter { get; }

    /// <summary>Parses <paramref name="connectionString"/> (ArgumentException with a line naming the keyword, never the value).</summary>
    public static ClusterStore Create(string connectionString, string node, TimeSpan staleAfter)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
        {
            throw new ArgumentException($"--cluster-db is not a PostgreSQL connection string (Host=...;Database=...;Username=...): {e.Message}");
        }
        if (string.IsNullOrEmpty(builder.Database))
            throw new ArgumentException("--cluster-db must name the database (Database=...)");
        if (string.IsNullOrEmpty(builder.Host))
            throw new ArgumentException("--cluster-db must name the server (Host=...)");
        builder.ApplicationName ??= "pgate-gateway";
        // A database that does not answer must refuse a connection in seconds, not hold it for 30.
        if (!connectionString.Contains("Timeout", StringComparison.OrdinalIgnoreCase))
        {
            builder.Timeout = 5;
            builder.CommandTimeout = 5;
        }
        var describe = $"postgresql://{builder.Username}@{builder.Host}:{builder.Port}/{builder.Database}";
        return new ClusterStore(NpgsqlDataSource.Create(builder), describe, node, staleAfter);
    }

    /// <summary>Creates or upgrades the schema (ClusterSchema.Steps) under an advisory lock.</summary>
    public Task MigrateAsync(CancellationToken ct) => RunAsync("preparing the schema", async c =>
    {
        await using var tx = await c.BeginTransactionAsync(ct).ConfigureAwait(false);
        await ExecAsync(c, "SELECT pg_advisory_xact_lock(hashtext(@k))", ct, ("k", MigrationLock)).ConfigureAwait(false);
        await ExecAsync(c, $"CREATE SCHEMA IF NOT EXISTS {ClusterSchema.Name}; CREATE TABLE IF NOT EXISTS {ClusterSchema.Name}.schema_version (version int NOT NULL)", ct).ConfigureAwait(false);
        var version = Convert.ToInt32(await ScalarAsync(c, $"SELECT coalesce(max(version), 0) FROM {ClusterSchema.Name}.schema_version", ct).ConfigureAwait(false) ?? 0);
        if (version > ClusterSchema.Steps.Length)
            throw new ClusterDatabaseException($"{Describe}: the gateway cluster schema is at version {version}, newer than this pgate knows ({ClusterSchema.Steps.Length}); upgrade pgate");
        for (var i = version; i < ClusterSchema.Steps.Length; i++)
        {
            await ExecAsync(c, ClusterSchema.Steps[i], ct).ConfigureAwait(false);
            await ExecAsync(c, $"DELETE FROM {ClusterSchema.Name}.schema_version; INSERT INTO {ClusterSchema.Name}.schema_version VALUES (@v)", ct, ("v", i + 1)).ConfigureAwait(false);
        }
        await tx.CommitAsync(ct).ConfigureAwait(false);
    });

    /// <summary>
    /// Takes the node name: a dead holder (heartbeat older than StaleAfter) is removed with its leases
    /// and sessions; a live one keeps it and this returns the refusal line.
    /// </summary>
    public Task<string?> RegisterAsync(string address, CancellationToken ct) => RunAsync("registering the node", async c =>
    {
        await using var tx = await c.BeginTransactionAsync(ct).ConfigureAwait(false);
        await ExecAsync(c, "DELETE FROM pgate_gateway.nodes WHERE name = @n AND heartbeat_at < now() - @stale", ct,
            ("n", Node), ("stale", StaleAfter)).ConfigureAwait(false);
        var taken = await ScalarAsync(c, """
            INSERT INTO pgate_gateway.nodes (name, incarnation, address) VALUES (@n, @i, @a)
            ON CONFLICT (name) DO NOTHING RETURNING name
            """, ct, ("n", Node), ("i", Incarnation), ("a", address)).ConfigureAwait(false);
        string? refusal = null;
        if (taken is null)
        {
            await using var q = Command(c, "SELECT address, extract(epoch FROM now() - heartbeat_at)::float8 FROM pgate_gateway.nodes WHERE name = @n", ("n", Node));
            await using var r = await q.ExecuteReaderAsync(ct).ConfigureAwait(false);
            refusal = await r.ReadAsync(ct).ConfigureAwait(false)
                ? $"node name '{Node}' is held by a live node ({r.GetString(0)}, last heartbeat {r.GetDouble(1):0}s ago in {Describe}); give this node another --node-name, or wait {StaleAfter.TotalSeconds:0}s after that node stopped"
                : $"node name '{Node}' changed hands while registering; start again";
        }
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return refusal;
    });

    /// <summary>The node's IKE address (what a redirect names), once its listeners are up.</summary>
    public Task SetAddressAsync(string address, CancellationToken ct) => RunAsync("recording the node address", c =>
        ExecAsync(c, "UPDATE pgate_gateway.nodes SET address = @a WHERE name = @n AND incarnation = @i", ct, ("a", address), ("n", Node), ("i", Incarnation)));

    public Task SetDrainingAsync(bool draining, CancellationToken ct) => RunAsync("recording draining", c =>
        ExecAsync(c, "UPDATE pgate_gateway.nodes SET draining = @d WHERE name = @n AND incarnation = @i", ct, ("d", draining), ("n", Node), ("i", Incarnation)));

    /// <summary>
    /// Heartbeat, then removal of every node (its leases, sessions and commands with it) whose heartbeat
    /// is older than StaleAfter. False when this node's registration is gone (it was itself reclaimed).
    /// </summary>
    public Task<bool> HeartbeatAsync(CancellationToken ct) => RunAsync("heartbeat", async c =>
    {
        var alive = await ExecAsync(c, "UPDATE pgate_gateway.nodes SET heartbeat_at = now() WHERE name = @n AND incarnation = @i", ct,
            ("n", Node), ("i", Incarnation)).ConfigureAwait(false) == 1;
        await ExecAsync(c, """
            DELETE FROM pgate_gateway.nodes WHERE heartbeat_at < now() - @stale;
            DELETE FROM pgate_gateway.commands WHERE done_at < now() - interval '1 hour';
            """, ct, ("stale", StaleAfter)).ConfigureAwait(false);
        return alive;
    });

    /// <summary>Clean shutdown: the node's row goes, and with it its leases, sessions and commands.</summary>
    public Task LeaveAsync(CancellationToken ct) => RunAsync("leaving the cluster", c =>
        ExecAsync(c, "DELETE FROM pgate_gateway.nodes WHERE name = @n AND incarnation = @i", ct, ("n", Node), ("i", Incarnation)));

    /// <summary>
    /// Leases an address of <paramref name="ranges"/> in <paramref name="pool"/> to <paramref name="instance"/>:
    /// the one it holds already, else <paramref name="owner"/>'s last address when free, else the lowest free
    /// one; null when the pool is exhausted. Refused when this node's registration is gone.
    /// </summary>
    public Task<uint?> LeaseAsync(string pool, IReadOnlyList<Ipv4Range> ranges, string instance, string owner, CancellationToken ct) =>
        RunAsync("leasing an address", async c =>
        {
            await using var tx = await c.BeginTransactionAsync(ct).ConfigureAwait(false);
            // FOR SHARE: a reclaim of this node (a DELETE of its row) waits until this lease is committed or gone.
            if (await ScalarAsync(c, "SELECT 1 FROM pgate_gateway.nodes WHERE name = @n AND incarnation = @i FOR SHARE", ct,
                    ("n", Node), ("i", Incarnation)).ConfigureAwait(false) is null)
                throw new ClusterDatabaseException($"this node's registration in {Describe} was reclaimed (no heartbeat for {StaleAfter.TotalSeconds:0}s); leasing waits until it is registered again");
            // One leaser per pool at a time; the primary key (pool, address) stays the guarantee.
            await ExecAsync(c, "SELECT pg_advisory_xact_lock(hashtext(@k))", ct, ("k", PoolLockPrefix + pool)).ConfigureAwait(false);
            if (await ScalarAsync(c, "SELECT address FROM pgate_gateway.leases WHERE node = @n AND pool = @p AND instance = @k", ct,
                    ("n", Node), ("p", pool), ("k", instance)).ConfigureAwait(false) is long held)
                return (uint?)held;
            long? chosen = null;
            if (await ScalarAsync(c, """
                    SELECT o.address FROM pgate_gateway.last_owners o
                    WHERE o.pool = @p AND o.last_owner = @o
                      AND NOT EXISTS (SELECT 1 FROM pgate_gateway.leases l WHERE l.pool = @p AND l.address = o.address)
                    """, ct, ("p", pool), ("o", owner)).ConfigureAwait(false) is long last && ranges.Any(r => r.Contains((uint)last)))
                chosen = last;
            foreach (var r in ranges)
            {
                if (chosen is not null)
                    break;
                // The lowest free address: the range's first, or one just above a leased one.
                chosen = await ScalarAsync(c, """
                    SELECT min(c) FROM (
                        SELECT @f::bigint AS c
                        UNION ALL
                        SELECT address + 1 FROM pgate_gateway.leases WHERE pool = @p AND address >= @f AND address < @l
                    ) candidates
                    WHERE NOT EXISTS (SELECT 1 FROM pgate_gateway.leases l WHERE l.pool = @p AND l.address = candidates.c)
                    """, ct, ("p", pool), ("f", (long)r.First), ("l", (long)r.Last)).ConfigureAwait(false) as long?;
            }
            if (chosen is not { } address)
                return null;
            await ExecAsync(c, """
                INSERT INTO pgate_gateway.leases (pool, address, node, instance, owner) VALUES (@p, @a, @n, @k, @o);
                INSERT INTO pgate_gateway.last_owners (pool, last_owner, address) VALUES (@p, @o, @a)
                ON CONFLICT (pool, last_owner) DO UPDATE SET address = excluded.address;
                """, ct, ("p", pool), ("a", address), ("n", Node), ("k", instance), ("o", owner)).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
            return (uint?)address;
        });

    /// <summary>After a rejoin: takes back an address this node's tunnel holds; false when another node leased it meanwhile.</summary>
    public Task<bool> RestoreLeaseAsync(string pool, uint address, string instance, string owner, CancellationToken ct) => RunAsync("restoring a lease", async c =>
        await ExecAsync(c, """
            INSERT INTO pgate_gateway.leases (pool, address, node, instance, owner) VALUES (@p, @a, @n, @k, @o) ON CONFLICT DO NOTHING
            """, ct, ("p", pool), ("a", (long)address), ("n", Node), ("k", instance), ("o", owner)).ConfigureAwait(false) == 1);

    public Task ReleaseAsync(string pool, string instance, CancellationToken ct) => RunAsync("releasing an address", c =>
        ExecAsync(c, "DELETE FROM pgate_gateway.leases WHERE node = @n AND pool = @p AND instance = @k", ct, ("n", Node), ("p", pool), ("k", instance)));

    /// <summary>Removes this node's leases that it no longer holds (releases that failed while the database was away).</summary>
    public Task<int> KeepOnlyLeasesAsync(IReadOnlyCollection<(string Pool, string Instance)> held, CancellationToken ct) => RunAsync("reconciling leases", c =>
        ExecAsync(c, """
            DELETE FROM pgate_gateway.leases l
            WHERE l.node = @n AND NOT EXISTS (SELECT 1 FROM unnest(@pools, @instances) AS h(pool, instance) WHERE h.pool = l.pool AND h.instance = l.instance)
            """, ct, ("n", Node), ("pools", held.Select(h => h.Pool).ToArray()), ("instances", held.Select(h => h.Instance).ToArray())));

    public Task<IReadOnlyList<(string Pool, uint Address, string Node, string Instance)>> LeasesAsync(CancellationToken ct) => RunAsync("reading leases", async c =>
    {
        var list = new List<(string, uint, string, string)>();
        await using var q = Command(c, "SELECT pool, address, node, instance FROM pgate_gateway.leases ORDER BY pool, address");
        await using var r = await q.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
            list.Add((r.GetString(0), (uint)r.GetInt64(1), r.GetString(2), r.GetString(3)));
        return (IReadOnlyList<(string, uint, string, string)>)list;
    });

    public Task PutSessionAsync(ClusterSession s, CancellationToken ct) => RunAsync("recording a session", c =>
        ExecAsync(c, """
            INSERT INTO pgate_gateway.sessions (node, instance, phase1, user_name, uid, vip, remote, since)
            VALUES (@n, @k, @p, @u, @uid, @v, @r, @s)
            ON CONFLICT (node, instance) DO UPDATE SET phase1 = excluded.phase1, user_name = excluded.user_name, uid = excluded.uid,
                vip = excluded.vip, remote = excluded.remote, since = excluded.since
            """, ct, ("n", Node), ("k", s.Instance), ("p", s.Phase1), ("u", (object?)s.User ?? DBNull.Value), ("uid", (object?)s.Uid ?? DBNull.Value),
            ("v", (object?)s.VirtualIp ?? DBNull.Value), ("r", s.Remote), ("s", s.Since.ToUniversalTime())));

    public Task RemoveSessionAsync(string instance, CancellationToken ct) => RunAsync("removing a session", c =>
        ExecAsync(c, "DELETE FROM pgate_gateway.sessions WHERE node = @n AND instance = @k", ct, ("n", Node), ("k", instance)));

    /// <summary>This node's sessions replaced by <paramref name="sessions"/> (after writes failed while the database was away).</summary>
    public Task ReplaceSessionsAsync(IReadOnlyList<ClusterSession> sessions, CancellationToken ct) => RunAsync("rewriting sessions", async c =>
    {
        await using var tx = await c.BeginTransactionAsync(ct).ConfigureAwait(false);
        await ExecAsync(c, "DELETE FROM pgate_gateway.sessions WHERE node = @n", ct, ("n", Node)).ConfigureAwait(false);
        foreach (var s in sessions)
            await PutSessionAsync(c, s, ct).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
    });

    private Task PutSessionAsync(NpgsqlConnection c, ClusterSession s, CancellationToken ct) =>
        ExecAsync(c, """
            INSERT INTO pgate_gateway.sessions (node, instance, phase1, user_name, uid, vip, remote, since)
            VALUES (@n, @k, @p, @u, @uid, @v, @r, @s)
            """, ct, ("n", Node), ("k", s.Instance), ("p", s.Phase1), ("u", (object?)s.User ?? DBNull.Value), ("uid", (object?)s.Uid ?? DBNull.Value),
            ("v", (object?)s.VirtualIp ?? DBNull.Value), ("r", s.Remote), ("s", s.Since.ToUniversalTime()));

    /// <summary>Every live node's sessions, by node then instance.</summary>
    public Task<IReadOnlyList<ClusterSession>> SessionsAsync(CancellationToken ct) => RunAsync("reading the session registry", async c =>
    {
        var list = new List<ClusterSession>();
        await using var q = Command(c, """
            SELECT s.node, s.instance, s.phase1, s.user_name, s.uid, s.vip, s.remote, s.since FROM pgate_gateway.sessions s
            JOIN pgate_gateway.nodes n ON n.name = s.node AND n.heartbeat_at >= now() - @stale
            ORDER BY s.node, s.instance
            """, ("stale", StaleAfter));
        await using var r = await q.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            list.Add(new ClusterSession(r.GetString(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3),
                r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5), r.GetString(6), r.GetFieldValue<DateTimeOffset>(7)));
        }
        return (IReadOnlyList<ClusterSession>)list;
    });

    /// <summary>Every registered node with its live session count, least loaded first (for RFC 5685 redirect).</summary>
    public Task<IReadOnlyList<ClusterNodeLoad>> NodeLoadsAsync(CancellationToken ct) => RunAsync("reading node loads", async c =>
    {
        var list = new List<ClusterNodeLoad>();
        await using var q = Command(c, """
            SELECT n.name, n.address, (SELECT count(*) FROM pgate_gateway.sessions s WHERE s.node = n.name)::int, n.draining,
                   n.heartbeat_at >= now() - @stale, n.heartbeat_at
            FROM pgate_gateway.nodes n ORDER BY 3, 1
            """, ("stale", StaleAfter));
        await using var r = await q.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
            list.Add(new ClusterNodeLoad(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetBoolean(3), r.GetBoolean(4), r.GetFieldValue<DateTimeOffset>(5)));
        return (IReadOnlyList<ClusterNodeLoad>)list;
    });

    /// <summary>Leaves a command for <paramref name="node"/>; false when that node is not registered.</summary>
    public Task<bool> SendCommandAsync(string node, string verb, string instance, CancellationToken ct) => RunAsync("sending a command", async c =>
        await ExecAsync(c, """
            INSERT INTO pgate_gateway.commands (node, verb, instance) SELECT name, @v, @k FROM pgate_gateway.nodes WHERE name = @n
            """, ct, ("n", node), ("v", verb), ("k", instance)).ConfigureAwait(false) == 1);

    /// <summary>This node's pending commands, marked done as they are taken.</summary>
    public Task<IReadOnlyList<ClusterCommand>> TakeCommandsAsync(CancellationToken ct) => RunAsync("reading commands", async c =>
    {
        var list = new List<ClusterCommand>();
        await using var q = Command(c, """
            UPDATE pgate_gateway.commands SET done_at = now() WHERE node = @n AND done_at IS NULL RETURNING id, verb, instance
            """, ("n", Node));
        await using var r = await q.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
            list.Add(new ClusterCommand(r.GetInt64(0), r.GetString(1), r.GetString(2)));
        return (IReadOnlyList<ClusterCommand>)list;
    });

    public ValueTask DisposeAsync() => _source.DisposeAsync();

    private async Task<T> RunAsync<T>(string what, Func<NpgsqlConnection, Task<T>> body)
    {
        try
        {
            await using var c = await _source.OpenConnectionAsync().ConfigureAwait(false);
            return await body(c).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            // Npgsql's messages name the server and the failure, never the password.
            throw new ClusterDatabaseException($"cluster database {Describe}: {what}: {e.Message}", e);
        }
    }

    private Task RunAsync(string what, Func<NpgsqlConnection, Task> body) =>
        RunAsync<bool>(what, async c =>
        {
            await body(c).ConfigureAwait(false);
            return true;
        });

    private static NpgsqlCommand Command(NpgsqlConnection c, string sql, params (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, c);
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        return command;
    }

    private static async Task<int> ExecAsync(NpgsqlConnection c, string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(c, sql, parameters);
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection c, string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(c, sql, parameters);
        var value = await command.ExecuteScalarAsync(ct).ConfigureAwait(false);
        return value is DBNull ? null : value;
    }

    internal static string AddressText(uint address) => Ipv4.ToAddress(address).ToString();
}
