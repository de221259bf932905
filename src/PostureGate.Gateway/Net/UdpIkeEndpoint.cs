// One UDP socket of the gateway's IKE service: the IKE port (500) or the NAT-T
// port (4500, RFC 3948). On the NAT-T port a datagram is demultiplexed by its
// first bytes (RFC 3948 §2.2, §2.3):
//   1. a single 0xFF byte is a NAT-keepalive: dropped;
//   2. four zero bytes (the non-ESP marker) then an IKE message: to the IKE layer;
//   3. anything else is ESP (a non-zero SPI): to the ESP sink, when there is one.
// On the IKE port every datagram is IKE. Each datagram comes with the index of the interface
// it arrived on (IP_PKTINFO / IPV6_PKTINFO), which `udp comes …,ifindex=N` prints.
// Each socket has one thread that blocks in recvfrom and handles the datagram itself: one
// datagram at a time per socket, as the async loop before it, without the epoll thread and
// thread-pool hop (and the pool's spinning) that cost about a fifth of the gateway's CPU per
// IKE SA. Disposing the socket wakes the thread.
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using PostureGate.Ike.Messages;
using PostureGate.Net;

namespace PostureGate.Gateway.Net;

public delegate void IkeDatagramHandler(ReadOnlyMemory<byte> ike, IPEndPoint local, IPEndPoint remote, int interfaceIndex);

public delegate void EspDatagramHandler(ReadOnlyMemory<byte> esp, IPEndPoint local, IPEndPoint remote);

public sealed class UdpIkeEndpoint : IAsyncDisposable
{
    private const int MaxDatagram = 65535;
    private readonly Socket _socket;
    private readonly IkeDatagramHandler _ike;
    private readonly ILogger _log;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _stopping;
    private long _dropped;

    private UdpIkeEndpoint(Socket socket, IPEndPoint local, bool natT, IkeDatagramHandler ike, ILogger log)
    {
        _socket = socket;
        Local = local;
        IsNatT = natT;
        _ike = ike;
        _log = log;
    }

    public IPEndPoint Local { get; }

    /// <summary>True on the NAT-T port: IKE carries the non-ESP marker and ESP shares the socket.</summary>
    public bool IsNatT { get; }

    /// <summary>ESP-in-UDP packets go here once a data plane is attached; until then they are dropped and counted.</summary>
    public EspDatagramHandler? Esp { get; set; }

    /// <summary>Datagrams that were neither IKE nor deliverable ESP.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public Socket Socket => _socket;

    /// <summary>
    /// Binds <paramref name="local"/>. <paramref name="shareAddress"/> (SO_REUSEADDR) is needed only
    /// when this gateway itself listens on the wildcard and on a specific address of the same port;
    /// otherwise it stays off, so a second daemon on the port fails to bind (EADDRINUSE) instead of
    /// silently splitting the traffic with this one.
    /// </summary>
    public static UdpIkeEndpoint Bind(IPEndPoint local, bool natT, IkeDatagramHandler ike, ILogger log, bool shareAddress = false)
    {
        var socket = new Socket(local.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (shareAddress)
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            // ESP shares the NAT-T socket: a deep receive buffer keeps bursts from being dropped.
            socket.ReceiveBufferSize = natT ? 8 << 20 : 1 << 20;
            socket.SetSocketOption(local.AddressFamily == AddressFamily.InterNetworkV6 ? SocketOptionLevel.IPv6 : SocketOptionLevel.IP,
                SocketOptionName.PacketInformation, true);
            socket.Bind(local);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var bound = (IPEndPoint)socket.LocalEndPoint!;
        var ep = new UdpIkeEndpoint(socket, bound, natT, ike, log);
        new Thread(ep.ReceiveLoop) { IsBackground = true, Name = $"ike rx {bound.Port}" }.Start();
        return ep;
    }

    /// <summary>Sends an IKE message, prefixing the non-ESP marker on the NAT-T port.</summary>
    public void SendIke(ReadOnlySpan<byte> message, IPEndPoint remote)
    {
        if (!IsNatT)
        {
            _socket.SendTo(message, SocketFlags.None, remote);
            return;
        }
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(message.Length + 4);
        try
        {
            BinaryPrimitives.WriteUInt32BigEndian(buffer, 0);
            message.CopyTo(buffer.AsSpan(4));
            _socket.SendTo(buffer.AsSpan(0, message.Length + 4), SocketFlags.None, remote);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Sends an ESP-in-UDP packet (no marker).</summary>
    public void SendRaw(ReadOnlySpan<byte> datagram, IPEndPoint remote) => _socket.SendTo(datagram, SocketFlags.None, remote);

    private void ReceiveLoop()
    {
        try
        {
            var buffer = new byte[MaxDatagram];
            var any = new IPEndPoint(Local.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
            while (!_stopping)
            {
                EndPoint from = any;
                int received;
                IPPacketInformation packet;
                try
                {
                    var flags = SocketFlags.None;
                    received = _socket.ReceiveMessageFrom(buffer, ref flags, ref from, out packet);
                }
                catch (ObjectDisposedException)
                {
                    return;
                }
                catch (SocketException ex)
                {
                    if (_stopping)
                        return;
                    // ICMP port unreachable from an earlier send surfaces here on Linux; keep serving.
                    _log.LogDebug("udp receive on {Local}: {Error}", Local, ex.SocketErrorCode);
                    continue;
                }
                var remote = (IPEndPoint)from;
                try
                {
                    Dispatch(buffer.AsMemory(0, received), remote, packet.Interface);
                }
                catch (Exception ex)
                {
                    // A bug in a handler must not stop the gateway from serving everyone else.
                    Interlocked.Increment(ref _dropped);
                    _log.LogError(ex, "datagram from {Remote} on {Local} failed", remote, Local);
                }
            }
        }
        catch (Exception ex)
        {
            // Not expected from recvfrom; a thread's unhandled exception would end the process.
            _log.LogError(ex, "udp receive on {Local} stopped", Local);
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    internal void Dispatch(ReadOnlyMemory<byte> datagram, IPEndPoint remote, int interfaceIndex = 0)
    {
        if (!IsNatT)
        {
            _ike(datagram, Local, remote, interfaceIndex);
            return;
        }
        var span = datagram.Span;
        switch (UdpEncapsulation.Classify(span))
        {
            case UdpEncapsulatedKind.NatKeepalive:
                return;
            case UdpEncapsulatedKind.Ike:
                _ike(datagram[UdpEncapsulation.NonEspMarkerLength..], Local, remote, interfaceIndex);
                return;
            case UdpEncapsulatedKind.Esp when Esp is { } esp:
                esp(datagram, Local, remote);
                return;
            default:
                Interlocked.Increment(ref _dropped);
                return;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stopping = true;
        _socket.Dispose(); // interrupts the blocking receive
        await _stopped.Task.ConfigureAwait(false);
    }
}
