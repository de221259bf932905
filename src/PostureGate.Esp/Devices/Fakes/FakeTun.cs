// An in-memory TUN device (wireguard-go tun/tuntest): the test plays the host's IP
// stack, injecting packets the data plane will read and taking the ones it writes.
using System.Collections.Concurrent;

namespace PostureGate.Esp.Devices.Fakes;

public sealed class FakeTun : ITunDevice
{
    private readonly BlockingCollection<byte[]> _fromHost = new();
    private readonly BlockingCollection<byte[]> _toHost = new();

    public FakeTun(string name = "faketun0", int mtu = 1400)
    {
        Name = name;
        Mtu = mtu;
    }

    public string Name { get; }

    public int Mtu { get; }

    /// <summary>As if the host routed <paramref name="packet"/> into the tunnel.</summary>
    public void Inject(ReadOnlySpan<byte> packet) => _fromHost.Add(packet.ToArray());

    /// <summary>A packet the data plane delivered to the host, waiting at most <paramref name="timeout"/>.</summary>
    public bool TryTake(out byte[] packet, TimeSpan timeout) => _toHost.TryTake(out packet!, timeout);

    /// <summary>Packets delivered to the host and not taken yet.</summary>
    public int Pending => _toHost.Count;

    public int Read(Span<PacketBuffer> packets, CancellationToken cancellationToken)
    {
        byte[] first;
        try
        {
            first = _fromHost.Take(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return 0;
        }
        var n = 0;
        var next = first;
        do
        {
            var buffer = packets[n++];
            // Like a real TUN read: a packet longer than the room before the tailroom is cut short.
            var length = Math.Min(next.Length, buffer.Array.Length - buffer.Offset - PacketBuffer.Tailroom);
            next.AsSpan(0, length).CopyTo(buffer.Array.AsSpan(buffer.Offset));
            buffer.Length = length;
        }
        while (n < packets.Length && _fromHost.TryTake(out next!));
        return n;
    }

    public void Write(ReadOnlySpan<PacketBuffer> packets)
    {
        foreach (var p in packets)
            _toHost.Add(p.Data.ToArray());
    }

    public void Dispose()
    {
        _fromHost.Dispose();
        _toHost.Dispose();
    }
}
