// RFC 7296 §2.1 for SAs that are gone: the last response of a recently deleted IKE SA, kept so a
// retransmitted request whose answer was lost (typically the peer's Delete) still gets it. Without
// it the peer retransmits into "unknown IKE SPI" until its own timeout. Bounded in count and age,
// answered only for a byte-identical request (the hash of what we answered, so nothing new is
// decrypted or parsed), sent to the SA's peer address, never the datagram's source (a replayed
// capture from a spoofed address reflects nothing), and a few times at most.
using System.Net;
using System.Security.Cryptography;

namespace PostureGate.Ike.Sa;

internal sealed class DeletedSaResponses(TimeProvider time)
{
    /// <summary>Longer than a peer keeps retransmitting (strongSwan's default schedule ends after ~165 s).</summary>
    internal static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(3);

    /// <summary>How many deleted SAs are remembered; the oldest goes first.</summary>
    internal const int Capacity = 4096;

    /// <summary>Answers per deleted SA: a peer's retransmission schedule, not a replay stream.</summary>
    internal const int MaxAnswers = 8;

    private sealed class Entry(ulong spi, CachedResponse response, IPEndPoint local, IPEndPoint remote, DateTimeOffset until)
    {
        public ulong Spi { get; } = spi;
        public CachedResponse Response { get; } = response;
        public IPEndPoint Local { get; } = local;
        public IPEndPoint Remote { get; } = remote;
        public DateTimeOffset Until { get; } = until;
        public int Answers { get; set; }
    }

    private readonly Lock _lock = new();
    private readonly Dictionary<ulong, Entry> _bySpi = [];
    private readonly Queue<Entry> _byAge = new();

    public int Count
    {
        get { lock (_lock) return _bySpi.Count; }
    }

    /// <summary>Keeps <paramref name="sa"/>'s last response under its local SPI (the SA is being destroyed).</summary>
    public void Remember(IkeSa sa)
    {
        if (sa.LastResponse is not { } response)
            return;
        var now = time.GetUtcNow();
        var entry = new Entry(sa.LocalSpi, response, sa.Local, sa.Remote, now + Lifetime);
        lock (_lock)
        {
            Prune(now);
            while (_byAge.Count >= Capacity)
                Forget(_byAge.Dequeue());
            _bySpi[entry.Spi] = entry;
            _byAge.Enqueue(entry);
        }
    }

    /// <summary>
    /// The cached response when <paramref name="request"/> repeats, octet for octet, the last request a
    /// now-deleted SA with local SPI <paramref name="localSpi"/> answered.
    /// </summary>
    public bool TryAnswer(ulong localSpi, uint messageId, ReadOnlySpan<byte> request,
        out IReadOnlyList<byte[]> datagrams, out IPEndPoint local, out IPEndPoint remote)
    {
        datagrams = [];
        local = remote = null!;
        lock (_lock)
        {
            Prune(time.GetUtcNow());
            if (!_bySpi.TryGetValue(localSpi, out var e) || e.Response.MessageId != messageId || e.Answers >= MaxAnswers)
                return false;
            if (!CryptographicOperations.FixedTimeEquals(IkeReceiver.HashRequest(request), e.Response.RequestHash))
                return false;
            e.Answers++;
            (datagrams, local, remote) = (e.Response.Datagrams, e.Local, e.Remote);
            return true;
        }
    }

    private void Prune(DateTimeOffset now)
    {
        while (_byAge.TryPeek(out var oldest) && oldest.Until <= now)
            Forget(_byAge.Dequeue());
    }

    private void Forget(Entry e)
    {
        // A newer entry under the same SPI (SPIs are random, but be exact) stays.
        if (_bySpi.TryGetValue(e.Spi, out var current) && ReferenceEquals(current, e))
            _bySpi.Remove(e.Spi);
    }
}
