// This gateway as a node of the cluster (issue 16; docs/cluster.md, "Gateways as a cluster"):
//  1. joins: schema migrated, node name taken (refused while a live node holds it);
//  2. heart-beats every Heartbeat (10 s); nodes silent for StaleAfter (3 × Heartbeat, by the
//     database's clock) are removed with their leases and sessions;
//  3. leases addresses from the shared pools for IkeAuth (ClusterAddressPool), off the receive loop;
//  4. records its sessions in the registry and runs the commands other nodes leave for it;
//  5. keeps the redirect targets (RFC 5685) current from the registry on each heartbeat, and records
//     its own draining there so the other nodes never redirect to it.
// Writes that need no answer (release, session rows) go through one queue; when the database is
// away they fail, and the next good heartbeat rewrites this node's rows from what it holds. There is
// no local fallback: without the database no address is leased, so none can be leased twice.
using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using PostureGate.Ike.Config;
using PostureGate.Ike.Sa;
using PostureGate.Net;

namespace PostureGate.Gateway.Cluster;

public sealed class ClusterNode : IAsyncDisposable
{
    public static readonly TimeSpan DefaultHeartbeat = TimeSpan.FromSeconds(10);
    /// <summary>How often a node looks for commands other nodes left for it.</summary>
    public static readonly TimeSpan CommandPoll = TimeSpan.FromSeconds(1);

    private readonly ILogger _log;
    private readonly TimeSpan _heartbeat;
    private readonly ConcurrentDictionary<(string Pool, string Instance), (uint Address, string Owner)> _leases = new();
    private readonly Channel<(bool Session, Func<CancellationToken, Task> Write)> _writes =
        Channel.CreateUnbounded<(bool, Func<CancellationToken, Task>)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private volatile bool _leasesDirty;
    private volatile bool _sessionsDirty;
    private volatile bool _reachable = true;
    private volatile bool _draining;
    private volatile bool _drainingDirty;
    private IkeSaManager? _ike;

    private ClusterNode(ClusterStore store, ILogger log, TimeSpan heartbeat)
    {
        Store = store;
        RedirectTargets = new ClusterRedirectTargets(store.Node);
        _log = log;
        _heartbeat = heartbeat;
        _loops.Add(Task.Run(() => WriteLoopAsync(_stop.Token)));
    }

    public ClusterStore Store { get; }

    /// <summary>Where this node redirects new clients (RFC 5685): the registry as of the last heartbeat.</summary>
    public ClusterRedirectTargets RedirectTargets { get; }

    /// <summary>Whether the last database operation succeeded (new connections are refused while false).</summary>
    public bool Reachable => _reachable;

    /// <summary>Migrates the schema and takes the node name; ClusterDatabaseException with the refusal when it cannot.</summary>
    public static async Task<ClusterNode> JoinAsync(ClusterStore store, ILogger log, TimeSpan heartbeat, CancellationToken ct)
    {
        await store.MigrateAsync(ct).ConfigureAwait(false);
        if (await store.RegisterAsync("", ct).ConfigureAwait(false) is { } refusal)
            throw new ClusterDatabaseException(refusal);
        log.LogInformation("cluster: node {Node} joined {Database}", store.Node, store.Describe);
        return new ClusterNode(store, log, heartbeat);
    }

    /// <summary>The shared pool of one dial-up phase1 (every node must configure it alike).</summary>
    public IAddressPool Pool(string phase1, IReadOnlyList<Ipv4Range> ranges) => new ClusterAddressPool(this, phase1, [.. ranges]);

    /// <summary>Starts heart-beating, the registry and the command poll for <paramref name="ike"/>.</summary>
    public void Attach(IkeSaManager ike, string address)
    {
        _ike = ike;
        ike.IkeSaEstablished += e =>
        {
            if (!e.Initiator)
                Enqueue(true, ct => Store.PutSessionAsync(SessionOf(e.Instance) ?? new ClusterSession(Store.Node, e.Instance, e.PeerConfigName,
                    e.EapIdentity ?? e.PeerIdentity, null, e.VirtualIp?.ToString(), e.Peer.ToString(), DateTimeOffset.UtcNow), ct));
        };
        ike.IkeSaDeleted += e => Enqueue(true, ct => Store.RemoveSessionAsync(e.Instance, ct));
        _loops.Add(Task.Run(() => HeartbeatLoopAsync(address, _stop.Token)));
        _loops.Add(Task.Run(() => CommandLoopAsync(_stop.Token)));
    }

    internal async ValueTask ReserveAsync(string pool, Ipv4Range[] ranges, string instance, string owner, CancellationToken ct)
    {
        try
        {
            var address = await Store.LeaseAsync(pool, ranges, instance, owner, ct).ConfigureAwait(false);
            Reached();
            if (address is { } a)
                _leases[(pool, instance)] = (a, owner);
            else
                _log.LogWarning("cluster: address pool {Pool} exhausted across the cluster; {Instance} gets INTERNAL_ADDRESS_FAILURE", pool, instance);
        }
        catch (ClusterDatabaseException e)
        {
            Lost(e.Message);
        }
        catch (OperationCanceledException)
        {
            _log.LogWarning("cluster: leasing an address for {Instance} did not finish in time; it gets INTERNAL_ADDRESS_FAILURE", instance);
        }
    }

    internal IPAddress? Reserved(string pool, string instance) =>
        _leases.TryGetValue((pool, instance), out var held) ? Ipv4.ToAddress(held.Address) : null;

    internal int LeasedCount(string pool) => _leases.Keys.Count(k => k.Pool == pool);

    internal bool Release(string pool, string instance)
    {
        if (!_leases.TryRemove((pool, instance), out _))
            return false;
        Enqueue(false, ct => Store.ReleaseAsync(pool, instance, ct));
        return true;
    }

    /// <summary>The whole fleet's sessions (the registry).</summary>
    public Task<IReadOnlyList<ClusterSession>> SessionsAsync(CancellationToken ct) => Store.SessionsAsync(ct);

    /// <summary>For RFC 5685 redirect: every node with its session count and draining flag, least loaded first.</summary>
    public Task<IReadOnlyList<ClusterNodeLoad>> NodeLoadsAsync(CancellationToken ct) => Store.NodeLoadsAsync(ct);

    /// <summary>
    /// Records whether this node drains (`pgate gateway drain`), so no other node redirects to it. When the
    /// database is away this throws ClusterDatabaseException, and the next good heartbeat records it.
    /// </summary>
    public async Task SetDrainingAsync(bool draining, CancellationToken ct)
    {
        _draining = draining;
        _drainingDirty = true;
        try
        {
            await Store.SetDrainingAsync(draining, ct).ConfigureAwait(false);
            _drainingDirty = false;
            Reached();
        }
        catch (ClusterDatabaseException e)
        {
            Lost(e.Message);
            throw;
        }
    }

    /// <summary>Asks the node holding <paramref name="instance"/> to delete it; false when that node is not registered.</summary>
    public Task<bool> ClearRemoteAsync(string node, string instance, CancellationToken ct) =>
        Store.SendCommandAsync(node, ClusterCommand.Clear, instance, ct);

    private void Enqueue(bool session, Func<CancellationToken, Task> write) => _writes.Writer.TryWrite((session, write));

    private ClusterSession? SessionOf(string instance)
    {
        if (_ike?.Snapshot(instance).FirstOrDefault(s => s.Name == instance && !s.IsInitiator) is not { } sa)
            return null;
        return new ClusterSession(Store.Node, sa.Name, sa.PeerConfigName, sa.EapUser ?? sa.PeerId, sa.FortiClientUid,
            sa.AssignedAddress?.ToString(), sa.RemoteEndpoint.ToString(), sa.Established ?? sa.Created);
    }

    private List<ClusterSession> LocalSessions() =>
        _ike is null ? [] : [.. _ike.Snapshot().Where(s => !s.IsInitiator && s.Established is not null)
            .Select(sa => new ClusterSession(Store.Node, sa.Name, sa.PeerConfigName, sa.EapUser ?? sa.PeerId, sa.FortiClientUid,
                sa.AssignedAddress?.ToString(), sa.RemoteEndpoint.ToString(), sa.Established ?? sa.Created))];

    private async Task WriteLoopAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var (session, write) in _writes.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                // Once dirty, the heartbeat rewrites everything: single writes would only fail again.
                if (session ? _sessionsDirty : _leasesDirty)
                    continue;
                try
                {
                    await write(ct).ConfigureAwait(false);
                    Reached();
                }
                catch (ClusterDatabaseException e)
                {
                    if (session)
                        _sessionsDirty = true;
                    else
                        _leasesDirty = true;
                    Lost(e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task HeartbeatLoopAsync(string address, CancellationToken ct)
    {
        try
        {
            await Store.SetAddressAsync(address, ct).ConfigureAwait(false);
            // Targets from the start, not only after the first heartbeat.
            RedirectTargets.Refresh(await Store.NodeLoadsAsync(ct).ConfigureAwait(false));
        }
        catch (ClusterDatabaseException e)
        {
            Lost(e.Message);
        }
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_heartbeat, ct).ConfigureAwait(false);
                await BeatAsync(address, ct).ConfigureAwait(false);
                Reached();
            }
            catch (ClusterDatabaseException e)
            {
                Lost(e.Message);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>One heartbeat, and the repairs a return of the database calls for.</summary>
    internal async Task BeatAsync(string address, CancellationToken ct)
    {
        if (!await Store.HeartbeatAsync(ct).ConfigureAwait(false))
            await RejoinAsync(address, ct).ConfigureAwait(false);
        if (_leasesDirty)
        {
            _leasesDirty = false;
            var removed = await Store.KeepOnlyLeasesAsync([.. _leases.Keys], ct).ConfigureAwait(false);
            if (removed > 0)
                _log.LogInformation("cluster: {Count} address(es) released while the database was away are free again", removed);
        }
        if (_sessionsDirty)
        {
            _sessionsDirty = false;
            await Store.ReplaceSessionsAsync(LocalSessions(), ct).ConfigureAwait(false);
        }
        if (_drainingDirty)
        {
            var draining = _draining;
            await Store.SetDrainingAsync(draining, ct).ConfigureAwait(false);
            _drainingDirty = _draining != draining;
        }
        // The redirect targets follow the registry; a failed read keeps the last snapshot.
        RedirectTargets.Refresh(await Store.NodeLoadsAsync(ct).ConfigureAwait(false));
    }

    /// <summary>
    /// This node was silent past StaleAfter and the others reclaimed its rows: it registers again and
    /// takes back the addresses its tunnels hold; a tunnel whose address went to another node meanwhile is deleted.
    /// </summary>
    private async Task RejoinAsync(string address, CancellationToken ct)
    {
        if (await Store.RegisterAsync(address, ct).ConfigureAwait(false) is { } refusal)
            throw new ClusterDatabaseException(refusal);
        _log.LogWarning("cluster: node {Node} had been reclaimed by the other nodes (no heartbeat for {Seconds:0}s); registered again", Store.Node, Store.StaleAfter.TotalSeconds);
        foreach (var ((pool, instance), held) in _leases.ToArray())
        {
            if (await Store.RestoreLeaseAsync(pool, held.Address, instance, held.Owner, ct).ConfigureAwait(false))
                continue;
            _log.LogWarning("cluster: address {Address} of {Instance} was leased by another node meanwhile; deleting the tunnel", Ipv4.ToAddress(held.Address), instance);
            _leases.TryRemove((pool, instance), out _);
            _ike?.Clear(instance);
        }
        _sessionsDirty = true;
        // A new row starts serving.
        _drainingDirty = _draining;
    }

    private async Task CommandLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(CommandPoll, ct).ConfigureAwait(false);
                foreach (var command in await Store.TakeCommandsAsync(ct).ConfigureAwait(false))
                {
                    if (command.Verb != ClusterCommand.Clear)
                        continue;
                    var n = _ike?.Clear(command.Instance) ?? 0;
                    _log.LogInformation("cluster: cleared {Count} IKE SA(s) named {Instance} at another node's request", n, command.Instance);
                }
            }
            catch (ClusterDatabaseException e)
            {
                Lost(e.Message);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private void Lost(string reason)
    {
        if (!_reachable)
            return;
        _reachable = false;
        _log.LogWarning("cluster: {Reason}; established tunnels keep working, new connections get INTERNAL_ADDRESS_FAILURE until it returns", reason);
    }

    private void Reached()
    {
        if (_reachable)
            return;
        _reachable = true;
        _log.LogInformation("cluster: database {Database} reachable again", Store.Describe);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _writes.Writer.TryComplete();
        try
        {
            await Task.WhenAll(_loops).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        try
        {
            // The node's row goes, and its leases, sessions and commands with it.
            await Store.LeaveAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (ClusterDatabaseException e)
        {
            _log.LogWarning("cluster: {Reason}; the other nodes reclaim this node's leases after {Seconds:0}s", e.Message, Store.StaleAfter.TotalSeconds);
        }
        _stop.Dispose();
    }
}
