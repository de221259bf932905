// A bind that receives nothing and drops what is sent: for driving EspDataPlane.ProcessInbound
// directly (hostile-input tests, the after-ICV fuzz target) without a network.
using System.Net;

namespace PostureGate.Esp.Devices.Fakes;

public sealed class NullBind(IPEndPoint local) : IPacketBind
{
    public IPEndPoint LocalEndPoint { get; } = local;
    public int Receive(Span<PacketBuffer> packets, CancellationToken cancellationToken) => 0;
    public void Send(ReadOnlySpan<PacketBuffer> packets) { }
    public void SendTo(ReadOnlySpan<byte> datagram, IPEndPoint destination) { }
    public void Dispose() { }
}
