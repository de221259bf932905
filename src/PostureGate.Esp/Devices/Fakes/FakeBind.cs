// In-memory UDP (wireguard-go conn/bindtest): binds attached to one FakeNetwork deliver
// datagrams to each other by destination endpoint, so two data planes can be wired back
// to back, and a test can watch where datagrams go after a NAT mapping change.
using System.Collections.Concurrent;
using System.Net;

namespace PostureGate.Esp.Devices.Fakes;

public sealed class FakeNetwork
{
    private readonly ConcurrentDictionary<IPEndPoint, FakeBind> _binds = new();
    private long _undeliverable;

    /// <summary>Datagrams sent to an endpoint no bind holds.</summary>
    public long Undeliverable => Interlocked.Read(ref _undeliverable);

    /// <summary>Optional hook run on every datagram in flight (tamper, drop with null, or record).</summary>
    public Func<byte[], IPEndPoint, IPEndPoint, byte[]?>? OnTransit { get; set; }

    public FakeBind Bind(IPEndPoint local)
    {
        var bind = new FakeBind(this, local);
        if (!_binds.TryAdd(local, bind))
            throw new InvalidOperationException($"{local} is already bound");
        return bind;
    }

    internal void Deliver(byte[] datagram, IPEndPoint from, IPEndPoint to)
    {
        if (OnTransit is { } hook)
        {
            if (hook(datagram, from, to) is not { } passed)
                return;
            datagram = passed;
        }
        if (_binds.TryGetValue(to, out var bind))
            bind.Enqueue(datagram, from);
        else
            Interlocked.Increment(ref _undeliverable);
    }

    internal void Unbind(IPEndPoint local) => _binds.TryRemove(local, out _);
}

public sealed class FakeBind : IPacketBind
{
    private readonly FakeNetwork _network;
    private readonly BlockingCollection<(byte[] Data, IPEndPoint From)> _inbox = new();

    internal FakeBind(FakeNetwork network, IPEndPoint local)
    {
        _network = network;
        LocalEndPoint = local;
    }

    public IPEndPoint LocalEndPoint { get; }

    internal void Enqueue(byte[] datagram, IPEndPoint from) => _inbox.Add((datagram, from));

    /// <summary>Delivers a datagram to this bind as if <paramref name="from"/> had sent it.</summary>
    public void Inject(ReadOnlySpan<byte> datagram, IPEndPoint from) => Enqueue(datagram.ToArray(), from);

    public int Receive(Span<PacketBuffer> packets, CancellationToken cancellationToken)
    {
        (byte[] Data, IPEndPoint From) item;
        try
        {
            item = _inbox.Take(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return 0;
        }
        var n = 0;
        do
        {
            var buffer = packets[n++];
            item.Data.CopyTo(buffer.Array, 0);
            buffer.Offset = 0;
            buffer.Length = item.Data.Length;
            buffer.SetRemote(item.From);
        }
        while (n < packets.Length && _inbox.TryTake(out item));
        return n;
    }

    public void Send(ReadOnlySpan<PacketBuffer> packets)
    {
        foreach (var p in packets)
            _network.Deliver(p.Data.ToArray(), LocalEndPoint, p.Destination!);
    }

    public void SendTo(ReadOnlySpan<byte> datagram, IPEndPoint destination) =>
        _network.Deliver(datagram.ToArray(), LocalEndPoint, destination);

    public void Dispose()
    {
        _network.Unbind(LocalEndPoint);
        _inbox.Dispose();
    }
}
