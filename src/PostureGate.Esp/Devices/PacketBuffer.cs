// One packet in flight. The byte array is allocated once, pinned (so the Linux devices
// hand its address to the kernel without `fixed`), and reused: each loop owns a batch of
// these for its lifetime, so a packet costs no allocation. Headroom in front of the data
// lets the ESP header and IV be written in place (wireguard-go's MessageTransportOffsetContent).
using System.Net;
using System.Net.Sockets;

namespace PostureGate.Esp.Devices;

public sealed class PacketBuffer
{
    /// <summary>Room in front of an inner packet: ESP header (8) and IV (at most 16), rounded up to a cache line.</summary>
    public const int Headroom = 64;

    /// <summary>Room behind it: padding (at most 15 here), trailer (2) and ICV (at most 32).</summary>
    public const int Tailroom = 64;

    public const int DefaultCapacity = 2048;

    public PacketBuffer(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, Headroom + Tailroom + 1);
        Array = GC.AllocateArray<byte>(capacity, pinned: true);
    }

    /// <summary>The whole buffer, pinned for the buffer's life.</summary>
    public byte[] Array { get; }

    /// <summary>Where the packet starts in <see cref="Array"/>.</summary>
    public int Offset { get; set; }

    /// <summary>The packet's length.</summary>
    public int Length { get; set; }

    /// <summary>On send: the UDP destination.</summary>
    public IPEndPoint? Destination { get; set; }

    /// <summary>On receive: the UDP source, as the native socket address (decoded only when needed).</summary>
    public SocketAddress Remote { get; } = new(AddressFamily.InterNetworkV6);

    /// <summary>The largest inner packet that fits with ESP's headroom and tailroom.</summary>
    public int MaxInnerLength => Array.Length - Headroom - Tailroom;

    public Span<byte> Data => Array.AsSpan(Offset, Length);

    /// <summary>Positions an empty packet after the headroom, ready to receive an inner packet.</summary>
    public void ResetForInner()
    {
        Offset = Headroom;
        Length = 0;
        Destination = null;
    }

    /// <summary>Sets the data to a copy of <paramref name="packet"/> after the headroom.</summary>
    public void SetInner(ReadOnlySpan<byte> packet)
    {
        Offset = Headroom;
        Length = packet.Length;
        packet.CopyTo(Array.AsSpan(Headroom));
    }

    /// <summary>The UDP source decoded; allocates, so only control traffic (IKE) uses it.</summary>
    public IPEndPoint RemoteEndPoint()
    {
        var template = Remote.Family == AddressFamily.InterNetwork ? new IPEndPoint(IPAddress.Any, 0) : new IPEndPoint(IPAddress.IPv6Any, 0);
        var ep = (IPEndPoint)template.Create(Remote);
        return ep.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(ep.Address.MapToIPv4(), ep.Port) : ep;
    }

    /// <summary>Stores <paramref name="source"/> as the UDP source (fakes and the managed fallback).</summary>
    public void SetRemote(IPEndPoint source)
    {
        var mapped = source.AddressFamily == AddressFamily.InterNetwork
            ? new IPEndPoint(source.Address.MapToIPv6(), source.Port)
            : source;
        var sa = mapped.Serialize();
        sa.Buffer.Span[..sa.Size].CopyTo(Remote.Buffer.Span);
        Remote.Size = sa.Size;
    }

    public static PacketBuffer[] CreateBatch(int count, int capacity = DefaultCapacity)
    {
        var batch = new PacketBuffer[count];
        for (var i = 0; i < count; i++)
            batch[i] = new PacketBuffer(capacity);
        return batch;
    }
}
