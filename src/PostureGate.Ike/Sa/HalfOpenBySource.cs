// Half-open IKE SAs per source address (RFC 7296 §2.6 leaves the defence against one busy
// initiator to the implementation; strongSwan's block_threshold does the same). Cookies stop
// spoofed floods, since a spoofer never sees the COOKIE; an initiator that does see it can echo
// it, so its own address is capped as well, and it cannot fill the table for everyone else.
using System.Collections.Concurrent;
using System.Net;

namespace PostureGate.Ike.Sa;

internal sealed class HalfOpenBySource
{
    private readonly ConcurrentDictionary<IPAddress, int> _counts = new();

    public int CountFrom(IPAddress source) => _counts.TryGetValue(source, out var n) ? n : 0;

    public void Add(IPAddress source) => _counts.AddOrUpdate(source, 1, (_, n) => n + 1);

    public void Remove(IPAddress source)
    {
        while (_counts.TryGetValue(source, out var n))
        {
            // The entry goes with its last SA, so the table holds only addresses with half-open SAs.
            if (n <= 1 ? _counts.TryRemove(new KeyValuePair<IPAddress, int>(source, n)) : _counts.TryUpdate(source, n - 1, n))
                return;
        }
    }
}
