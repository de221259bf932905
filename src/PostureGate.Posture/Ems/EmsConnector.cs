// One EMS connector (`config endpoint-control fctems`, entry n), following charon's shape of a
// long-running job rather than per-request work:
//   1. snapshot: every endpoint and tag at version V, swapped into the ConnectorTagStore;
//   2. JWKS: the signing keys, pinned for token verification while the EMS is away;
//   3. push stream from V: the changes applied as they arrive, those that arrived together as
//      one batch (tag removed → store event → the gate re-evaluates that endpoint's tunnels);
//      revoked device certificates (snapshot and `certificate.revoked`) go to Revocations whatever
//      pull-tags says, and CertificatesRevoked names the new ones at once;
//   4. on any failure: Lost since T, reconnect with capped jittered backoff, back to 1.
// Cached tags serve decisions while Synced, and for out-of-sync-threshold after the loss: one
// timer per loss (not a poll) marks the cache out of sync at T + threshold and raises OutOfSync,
// so the gate re-checks the tunnels this EMS admitted; a resync cancels it or raises BackInSync.
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using System.Net;

namespace PostureGate.Posture;

public sealed class EmsConnector : IAsyncDisposable
{
    private readonly IEmsClient _client;
    private readonly PinnedKeyStore _keys;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly ReconnectBackoff _backoff;
    private readonly Lock _lock = new();
    private Task? _loop;
    // One per loss; a loss generation tells a stale firing (the EMS came back meanwhile) apart.
    private ITimer? _outOfSyncTimer;
    private long _lossGeneration;
    private TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public EmsConnector(EmsConnectorSettings settings, ConnectorTagStore store, PinnedKeyStore keys, IEmsClient? client = null, TimeProvider? time = null, ILogger? logger = null)
    {
        if (store.ConnectorId != settings.Id)
            throw new ArgumentException("the store belongs to another connector", nameof(store));
        Settings = settings;
        Store = store;
        _keys = keys;
        _client = client ?? new EmsHttpClient(settings);
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _backoff = new ReconnectBackoff(settings.ReconnectDelayMin, settings.ReconnectDelayMax);
    }

    public EmsConnectorSettings Settings { get; }
    public ConnectorTagStore Store { get; }
    /// <summary>The device certificates this EMS's endpoint CA revoked (the IKE layer refuses them).</summary>
    public RevokedDeviceCertificates Revocations { get; } = new();

    /// <summary>Raised with the certificates newly revoked (a push, or a snapshot naming ones not known before): their tunnels go.</summary>
    public event Action<EmsConnector, IReadOnlyList<RevokedCertificate>>? CertificatesRevoked;
    public ConnectorState State { get; private set; }
    public DateTimeOffset? LostSince { get; private set; }
    /// <summary>When the cache passed out-of-sync-threshold (LostSince + threshold); null while it may still decide.</summary>
    public DateTimeOffset? OutOfSyncSince { get; private set; }
    public DateTimeOffset? LastSyncAt { get; private set; }
    /// <summary>Last change applied (snapshot or event).</summary>
    public DateTimeOffset? LastUpdateAt { get; private set; }
    public string? LastError { get; private set; }
    public int Resyncs { get; private set; }

    /// <summary>Cached tags may decide: following the EMS, or lost for less than out-of-sync-threshold.</summary>
    public bool CacheUsable
    {
        get
        {
            lock (_lock)
            {
                return State switch
                {
                    ConnectorState.Synced => true,
                    ConnectorState.Lost => OutOfSyncSince is null && LostSince is { } since && _time.GetUtcNow() - since < Settings.OutOfSyncThreshold,
                    _ => false,
                };
            }
        }
    }

    /// <summary>Raised on each state change (for the debug log and tests).</summary>
    public event Action<EmsConnector>? StateChanged;

    /// <summary>Raised once per loss, on a timer thread, when the cache passes out-of-sync-threshold.</summary>
    public event Action<EmsConnector>? OutOfSync;

    /// <summary>Raised after a resync that ended an out-of-sync period (the snapshot is already applied).</summary>
    public event Action<EmsConnector>? BackInSync;

    public void Start() => _loop ??= Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Completes at the next successful sync.</summary>
    public Task WaitForSyncAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
            return State == ConnectorState.Synced ? Task.CompletedTask : _synced.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Live lookup by UID, bounded by call-timeout; a found endpoint refreshes the cache — unless
    /// a change pushed while it was in flight is newer: then the cache's view is the answer.
    /// </summary>
    public Task<EmsResult<EndpointEntry>> LookupByUidAsync(string uid, CancellationToken cancellationToken) =>
        LookupAsync(ct => _client.LookupByUidAsync(uid, ct), cancellationToken);

    public Task<EmsResult<EndpointEntry>> LookupByIpAsync(IPAddress ip, CancellationToken cancellationToken) =>
        LookupAsync(ct => _client.LookupByIpAsync(ip, ct), cancellationToken);

    private async Task<EmsResult<EndpointEntry>> LookupAsync(Func<CancellationToken, Task<EmsResult<EndpointEntry>>> query, CancellationToken cancellationToken)
    {
        var askedAt = Store.Version;
        var result = await BoundedAsync(query, cancellationToken).ConfigureAwait(false);
        if (result is not { Status: EmsStatus.Ok, Value: { } entry } || !Settings.PullTags || Store.TryApplyLookup(entry, askedAt, out var current))
            return result;
        return current is null
            ? EmsResult<EndpointEntry>.NotFound($"endpoint {entry.Uid} removed by an EMS change newer than the lookup")
            : EmsResult<EndpointEntry>.Ok(current);
    }

    // call-timeout is enforced here too, whatever the client does: a hung EMS is unreachable.
    private async Task<EmsResult<EndpointEntry>> BoundedAsync(Func<CancellationToken, Task<EmsResult<EndpointEntry>>> query, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Settings.CallTimeout);
        try
        {
            return await query(timeout.Token).WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return EmsResult<EndpointEntry>.Unreachable($"no answer within call-timeout {Settings.CallTimeout.TotalSeconds}s");
        }
        catch (Exception e) when (e is EmsUnreachableException or IOException or HttpRequestException)
        {
            return EmsResult<EndpointEntry>.Unreachable(e.Message);
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await SyncAndFollowAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            // Anything else (a bug in a client or a change subscriber) must not end the loop either:
            // the connector resyncs from a fresh snapshot.
            catch (Exception e)
            {
                MarkLost(e is EmsUnreachableException or IOException or HttpRequestException ? e.Message : $"{e.GetType().Name}: {e.Message}");
            }
            try
            {
                await Task.Delay(_backoff.Next(), _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task SyncAndFollowAsync(CancellationToken cancellationToken)
    {
        var snapshot = await _client.GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        if (snapshot is not { Status: EmsStatus.Ok, Value: { } data })
            throw new EmsUnreachableException($"snapshot: {snapshot.Reason}");
        if (Settings.SerialNumber is { Length: > 0 } serial && data.EmsSerial is { Length: > 0 } got && !string.Equals(serial, got, StringComparison.Ordinal))
            throw new EmsUnreachableException($"EMS serial {got} is not the configured {serial}");
        await RefreshKeysAsync(cancellationToken).ConfigureAwait(false);
        RaiseRevoked(Revocations.Replace(data.EndpointCaKey, data.RevokedCertificates));
        if (Settings.PullTags)
            Store.ReplaceAll(data.Version, data.Endpoints, data.Tags);
        MarkSynced();
        _logger.LogInformation("fctems {Id} synced at version {Version}: {Endpoints} endpoints", Settings.Id, data.Version, data.Endpoints.Count);

        var changes = _client.StreamChangesAsync(data.Version, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (changes.ConfigureAwait(false))
        {
            var more = await changes.MoveNextAsync().ConfigureAwait(false);
            while (more)
            {
                (more, var pending, var rotated) = ApplyArrived(changes);
                LastUpdateAt = _time.GetUtcNow();
                if (rotated)
                    await RefreshKeysAsync(cancellationToken).ConfigureAwait(false);
                if (pending is { } next)
                    more = await next.ConfigureAwait(false);
            }
        }
        throw new EmsUnreachableException("change stream ended");
    }

    // Issue 11, a late EMS answer must not undo a correct decision: a slow EMS's backlog arrives
    // at once (enrolled, registered, then tagged), and judged one change at a time the first,
    // superseded one would delete a tunnel the last one keeps. So the current change and every
    // one already arrived after it are one store batch: the gate re-checks against the newest
    // state, and a removal that is the final state still revokes when the batch ends. A key
    // rotation ends the batch (later changes wait for the new keys). Returns whether the stream
    // goes on, and the read still under way (null: the stream already said).
    private (bool More, ValueTask<bool>? Pending, bool Rotated) ApplyArrived(IAsyncEnumerator<EmsChange> changes)
    {
        using (Store.BeginBatch())
        {
            while (true)
            {
                var change = changes.Current;
                Apply(change);
                if (change.Kind == EmsApiPaths.KeyRotated)
                    return (true, changes.MoveNextAsync(), true);
                var next = changes.MoveNextAsync();
                if (!next.IsCompleted)
                    return (true, next, false);
                if (!next.GetAwaiter().GetResult())
                    return (false, null, false);
            }
        }
    }

    private async Task RefreshKeysAsync(CancellationToken cancellationToken)
    {
        var jwks = await _client.GetJwksAsync(cancellationToken).ConfigureAwait(false);
        if (jwks is not { Status: EmsStatus.Ok, Value: { } json } || !_keys.TrySetFromJwks(Settings.Id, json, out _))
            throw new EmsUnreachableException($"jwks: {jwks.Reason ?? "not a JWK set"}");
    }

    private void Apply(EmsChange change)
    {
        if (change.Kind == EmsApiPaths.CertificateRevoked)
        {
            RaiseRevoked(Revocations.Add(change.Subject, change.RevokedSerials));
            return;
        }
        if (!Settings.PullTags)
            return;
        switch (change.Kind)
        {
            case EmsApiPaths.EndpointRegistered or EmsApiPaths.EndpointUpdated when change.Endpoint is { } entry:
                Store.Upsert(entry, change.Version);
                break;
            case EmsApiPaths.EndpointDeleted:
                Store.Remove(change.Subject, change.Version);
                break;
            case EmsApiPaths.TagDefined when change.Subject.Length > 0:
                Store.DefineTag(change.Subject);
                break;
        }
    }

    private void RaiseRevoked(IReadOnlyList<RevokedCertificate> revoked)
    {
        if (revoked.Count == 0)
            return;
        _logger.LogWarning("fctems {Id} ({Name}): {Count} device certificate(s) revoked ({Uids})", Settings.Id, Settings.Name, revoked.Count,
            string.Join(", ", revoked.Select(r => r.Uid).Distinct(StringComparer.Ordinal).Take(10)));
        CertificatesRevoked?.Invoke(this, revoked);
    }

    private void MarkSynced()
    {
        TaskCompletionSource synced;
        bool wasOutOfSync;
        lock (_lock)
        {
            if (State == ConnectorState.Lost)
                Resyncs++;
            wasOutOfSync = OutOfSyncSince is not null;
            State = ConnectorState.Synced;
            LostSince = null;
            OutOfSyncSince = null;
            LastError = null;
            LastSyncAt = LastUpdateAt = _time.GetUtcNow();
            _backoff.Reset();
            _lossGeneration++;
            _outOfSyncTimer?.Dispose();
            _outOfSyncTimer = null;
            synced = _synced;
            _synced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        synced.TrySetResult();
        StateChanged?.Invoke(this);
        if (wasOutOfSync)
            BackInSync?.Invoke(this);
    }

    private void MarkLost(string reason)
    {
        lock (_lock)
        {
            LastError = reason;
            if (State == ConnectorState.Synced)
            {
                State = ConnectorState.Lost;
                LostSince = _time.GetUtcNow();
                _outOfSyncTimer?.Dispose();
                _outOfSyncTimer = _time.CreateTimer(OnOutOfSyncTimer, ++_lossGeneration, Settings.OutOfSyncThreshold, Timeout.InfiniteTimeSpan);
            }
        }
        _logger.LogWarning("fctems {Id} ({Name}): {Reason}", Settings.Id, Settings.Name, reason);
        StateChanged?.Invoke(this);
    }

    private void OnOutOfSyncTimer(object? state)
    {
        lock (_lock)
        {
            if (State != ConnectorState.Lost || (long)state! != _lossGeneration || OutOfSyncSince is not null || LostSince is not { } since)
                return;
            // A timer may fire a little before the wall clock agrees; wait out the rest.
            var left = since + Settings.OutOfSyncThreshold - _time.GetUtcNow();
            if (left > TimeSpan.Zero)
            {
                _outOfSyncTimer?.Change(left, Timeout.InfiniteTimeSpan);
                return;
            }
            OutOfSyncSince = since + Settings.OutOfSyncThreshold;
            _outOfSyncTimer?.Dispose();
            _outOfSyncTimer = null;
        }
        _logger.LogWarning("fctems {Id} ({Name}): out of sync, lost for out-of-sync-threshold {Threshold}s; cached tags no longer decide",
            Settings.Id, Settings.Name, Settings.OutOfSyncThreshold.TotalSeconds);
        try
        {
            StateChanged?.Invoke(this);
            OutOfSync?.Invoke(this);
        }
        // A timer thread has no one to report to: log, never crash the process.
        catch (Exception e)
        {
            _logger.LogError(e, "fctems {Id}: OutOfSync subscriber failed", Settings.Id);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is { } loop)
        {
            try
            {
                await loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
        lock (_lock)
        {
            _outOfSyncTimer?.Dispose();
            _outOfSyncTimer = null;
        }
        _client.Dispose();
        _stop.Dispose();
    }
}
