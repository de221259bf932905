// The TUN seam (wireguard-go tun.Device): inner IP packets leave and enter the host's
// stack in batches. The data plane only ever sees this interface.
namespace PostureGate.Esp.Devices;

public interface ITunDevice : IDisposable
{
    string Name { get; }

    int Mtu { get; }

    /// <summary>
    /// Reads up to <paramref name="packets"/>.Length packets, each into a buffer at its current
    /// Offset (the caller leaves headroom there), setting Length. Waits until at least one packet
    /// arrives or <paramref name="cancellationToken"/> is cancelled (then returns 0).
    /// </summary>
    int Read(Span<PacketBuffer> packets, CancellationToken cancellationToken);

    /// <summary>Writes each packet's Data as one IP packet; packets the device rejects are dropped and counted by it.</summary>
    void Write(ReadOnlySpan<PacketBuffer> packets);
}
