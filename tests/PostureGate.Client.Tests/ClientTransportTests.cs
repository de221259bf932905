// ClientTransport: RFC 3948 §2.2 — IKE on the NAT-T port carries a four-byte zero
// non-ESP marker; ESP does not; a single 0xFF byte is a NAT keepalive (§2.3).
using System.Net;
using System.Net.Sockets;
using PostureGate.Ike.Kernel;
using PostureGate.Ike.Sa;

namespace PostureGate.Client.Tests;

public sealed class ClientTransportTests : IAsyncDisposable
{
    private const int GatewayNatTPort = 4500;
    private readonly Socket _gateway = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly ClientTransport _transport = new(IPAddress.Loopback, GatewayNatTPort);
    private readonly IkeSaManager _manager;

    public ClientTransportTests()
    {
        _gateway.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _gateway.ReceiveTimeout = 5000;
        _manager = new IkeSaManager([], _transport, new InMemoryChildSaInstaller());
    }

    private IPEndPoint Gateway => (IPEndPoint)_gateway.LocalEndPoint!;

    private (byte[] Data, IPEndPoint From) Receive()
    {
        var buffer = new byte[2048];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        var n = _gateway.ReceiveFrom(buffer, ref from);
        return (buffer[..n], (IPEndPoint)from);
    }

    [Fact]
    public void IkeToTheIkePortLeavesFromTheIkeSocketUnmarked()
    {
        byte[] message = [1, 2, 3, 4, 5, 6, 7, 8];

        _transport.Send(message, _transport.IkeLocal, Gateway);

        var (data, from) = Receive();
        Assert.Equal(message, data);
        Assert.Equal(_transport.IkeLocal.Port, from.Port);
    }

    [Fact]
    public void IkeOnTheNatTPortLeavesFromTheNatTSocketBehindTheNonEspMarker()
    {
        byte[] message = [9, 8, 7, 6, 5];

        _transport.Send(message, new IPEndPoint(IPAddress.Loopback, GatewayNatTPort), Gateway);

        var (data, from) = Receive();
        Assert.Equal([0, 0, 0, 0, .. message], data);
        Assert.Equal(_transport.NatTLocal.Port, from.Port);
    }

    [Fact]
    public async Task OnlyUnmarkedDatagramsOnTheNatTSocketReachTheEspHandler()
    {
        var esp = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        _transport.Esp = (data, _) =>
        {
            Interlocked.Increment(ref calls);
            esp.TrySetResult(data.ToArray());
        };
        _transport.Start(_manager);
        byte[] espPacket = [0x12, 0x34, 0x56, 0x78, 0, 0, 0, 1, 0xAA, 0xBB];

        // Keepalive, then a marked (IKE) datagram the state machine drops, then ESP: only the last is ESP.
        _gateway.SendTo([0xFF], _transport.NatTLocal);
        _gateway.SendTo([0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8], _transport.NatTLocal);
        _gateway.SendTo([1, 2, 3], _transport.NatTLocal); // too short for ESP: dropped
        _gateway.SendTo(espPacket, _transport.NatTLocal);

        var received = await esp.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(espPacket, received);
        Assert.Equal(1, Volatile.Read(ref calls));
    }

    public async ValueTask DisposeAsync()
    {
        _manager.Dispose();
        await _transport.DisposeAsync();
        _gateway.Dispose();
    }
}
