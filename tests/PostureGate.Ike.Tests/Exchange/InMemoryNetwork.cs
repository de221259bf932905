// Two (or more) IkeSaManagers wired through a queue instead of sockets, like strongSwan's
// exchange_test_helper: each Send is queued, and the test delivers datagrams one by one
// (Deliver) or until quiet (Pump), so it can look at, drop, repeat or corrupt any of them.
using System.Net;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Sa;

namespace PostureGate.Ike.Tests.Exchange;

public sealed record Datagram(byte[] Bytes, IPEndPoint From, IPEndPoint To)
{
    /// <summary>The IKE header (RFC 7296 §3.1) decoded: what tests look at instead of byte offsets.</summary>
    public IkeHeader Header => IkeHeader.TryRead(Bytes, out var header) ? header : throw new InvalidOperationException("not an IKE message");

    public ExchangeType Exchange => Header.Exchange;

    /// <summary>RFC 7383 §2.5: an SKF fragment (its first payload is Encrypted Fragment).</summary>
    public bool IsFragment => Header.NextPayload == PayloadType.EncryptedFragment;
}

public sealed class InMemoryNetwork
{
    private readonly Lock _lock = new();
    private readonly Queue<Datagram> _queue = new();
    private readonly Dictionary<IPAddress, IkeSaManager> _hosts = [];

    public List<Datagram> Sent { get; } = [];

    public void Attach(IPAddress address, IkeSaManager manager) => _hosts[address] = manager;

    public IIkeSender SenderFor() => new Sender(this);

    public int Pending
    {
        get { lock (_lock) return _queue.Count; }
    }

    /// <summary>Drops datagrams the predicate selects (lost packets).</summary>
    public Func<Datagram, bool>? Drop { get; set; }

    public Datagram? Peek()
    {
        lock (_lock) return _queue.Count > 0 ? _queue.Peek() : null;
    }

    /// <summary>Removes the next datagram without delivering it.</summary>
    public Datagram Take()
    {
        lock (_lock) return _queue.Dequeue();
    }

    /// <summary>Delivers the next queued datagram; false when none is queued.</summary>
    public bool Deliver()
    {
        Datagram d;
        lock (_lock)
        {
            if (_queue.Count == 0)
                return false;
            d = _queue.Dequeue();
        }
        Inject(d);
        return true;
    }

    public void Inject(Datagram d) => _hosts[d.To.Address].ProcessDatagram(d.Bytes, d.To, d.From);

    /// <summary>Delivers until nothing is queued (bounded, so a loop fails the test instead of hanging).</summary>
    public int Pump(int max = 200)
    {
        var n = 0;
        while (n < max && Deliver())
            n++;
        Assert.True(n < max, "message loop did not settle");
        return n;
    }

    private sealed class Sender(InMemoryNetwork net) : IIkeSender
    {
        public void Send(ReadOnlyMemory<byte> ikeMessage, IPEndPoint local, IPEndPoint remote)
        {
            var d = new Datagram(ikeMessage.ToArray(), local, remote);
            lock (net._lock)
            {
                net.Sent.Add(d);
                if (net.Drop?.Invoke(d) == true)
                    return;
                net._queue.Enqueue(d);
            }
        }
    }
}
