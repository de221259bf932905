// An in-memory EMS for gate and connector tests: serves a snapshot, lookups and a push stream,
// and can be switched to "down" (refuses at once) or "slow" (answers after a delay).
using System.Net;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace PostureGate.Posture.Tests;

internal sealed class FakeEmsClient : IEmsClient
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, EndpointEntry> _endpoints = new(StringComparer.Ordinal);
    private Channel<EmsChange[]> _changes = Channel.CreateUnbounded<EmsChange[]>();
    private long _version = 1;

    public string Jwks { get; set; } = """{"keys":[]}""";
    public string? Serial { get; set; } = "FCTEMS8826000120";
    public volatile bool Down;
    public TimeSpan Delay = TimeSpan.Zero;
    public int Lookups;
    /// <summary>While set, lookups answer with the state of when they were asked, once it completes
    /// (a stale answer), whatever their cancellation says (an EMS client that does not stop when told).</summary>
    public TaskCompletionSource? HoldLookups;
    public int JwksCalls;
    /// <summary>Thrown once by the next snapshot call (a client bug, not an EMS answer).</summary>
    public Exception? ThrowOnce;

    public void Push(EmsChange change) => _changes.Writer.TryWrite([change]);

    /// <summary>Changes that reach the gateway together, as a slow link's backlog does: the stream yields them without waiting in between.</summary>
    public void PushTogether(params EmsChange[] changes) => _changes.Writer.TryWrite(changes);

    public void Put(EndpointEntry entry, bool push = false)
    {
        long version;
        lock (_lock)
        {
            _endpoints[entry.Uid] = entry;
            version = ++_version;
        }
        if (push)
            _changes.Writer.TryWrite([new EmsChange(version, "endpoint.updated", entry.Uid, entry)]);
    }

    /// <summary>Ends the current push stream (as a dying EMS does).</summary>
    public void DropStream()
    {
        var old = _changes;
        _changes = Channel.CreateUnbounded<EmsChange[]>();
        old.Writer.TryComplete();
    }

    public async Task<EmsAnswer<EmsSnapshot>> GetSnapshotAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref ThrowOnce, null) is { } e)
            throw e;
        if (await FailAsync(cancellationToken) is { } reason)
            return EmsAnswer<EmsSnapshot>.Unreachable(reason);
        lock (_lock)
            return EmsAnswer<EmsSnapshot>.Ok(new EmsSnapshot(_version, Serial, null, [], [.. _endpoints.Values]));
    }

    public async Task<EmsAnswer<string>> GetJwksAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref JwksCalls);
        if (await FailAsync(cancellationToken) is { } reason)
            return EmsAnswer<string>.Unreachable(reason);
        return EmsAnswer<string>.Ok(Jwks);
    }

    public async Task<EmsAnswer<EndpointEntry>> LookupByUidAsync(string uid, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Lookups);
        if (await FailAsync(cancellationToken) is { } reason)
            return EmsAnswer<EndpointEntry>.Unreachable(reason);
        EmsAnswer<EndpointEntry> answer;
        lock (_lock)
            answer = _endpoints.TryGetValue(uid, out var e) ? EmsAnswer<EndpointEntry>.Ok(e) : EmsAnswer<EndpointEntry>.NotFound("no such uid");
        if (HoldLookups is { } hold)
            await hold.Task;
        return answer;
    }

    public async Task<EmsAnswer<EndpointEntry>> LookupByIpAsync(IPAddress ip, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Lookups);
        if (await FailAsync(cancellationToken) is { } reason)
            return EmsAnswer<EndpointEntry>.Unreachable(reason);
        lock (_lock)
        {
            var e = _endpoints.Values.FirstOrDefault(x => ip.Equals(x.Ip));
            return e is null ? EmsAnswer<EndpointEntry>.NotFound("no such ip") : EmsAnswer<EndpointEntry>.Ok(e);
        }
    }

    public async IAsyncEnumerable<EmsChange> StreamChangesAsync(long since, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (await FailAsync(cancellationToken) is { } reason)
            throw new EmsUnreachableException(reason);
        var reader = _changes.Reader;
        while (await reader.WaitToReadAsync(cancellationToken))
        {
            while (reader.TryRead(out var arrived))
            {
                foreach (var change in arrived)
                {
                    if (change.Version > since)
                        yield return change;
                }
            }
        }
        throw new EmsUnreachableException("stream closed");
    }

    public void Dispose() { }

    // A slow EMS never says no: it just doesn't answer in time (the caller's timeout decides).
    private async Task<string?> FailAsync(CancellationToken cancellationToken)
    {
        if (Down)
            return "connection refused";
        if (Delay > TimeSpan.Zero)
            await Task.Delay(Delay, cancellationToken);
        return null;
    }
}
