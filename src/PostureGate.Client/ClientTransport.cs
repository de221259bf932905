// The client's two UDP sockets and the IKE layer's sender (IIkeSender). The IKE
// state machine moves an SA to the NAT-T port on both ends (RFC 7296 §2.23); a
// client cannot count on owning local port 4500 (the gateway may run on the same
// host), so the NAT-T traffic uses a second ephemeral socket and this class
// translates: the state machine sees local port = the gateway's NAT-T port.
// With --tun the NAT-T socket belongs to the data plane (ClientDataPath), which hands
// marker-prefixed IKE back here.
using System.Net;
using System.Net.Sockets;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Sa;
using PostureGate.Net;

namespace PostureGate.Client;

public sealed class ClientTransport : IIkeSender, IAsyncDisposable
{
    private readonly Socket _ike;
    private readonly Socket? _natt;
    private readonly ClientDataPath? _dataPath;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private IkeSaManager? _manager;

    public ClientTransport(IPAddress local, int natTPort, ClientDataPath? dataPath = null)
    {
        NatTPort = natTPort;
        _ike = Open(local);
        _dataPath = dataPath;
        _natt = dataPath is null ? Open(local) : null;
        IkeLocal = (IPEndPoint)_ike.LocalEndPoint!;
        NatTLocal = dataPath?.LocalEndPoint ?? (IPEndPoint)_natt!.LocalEndPoint!;
    }

    /// <summary>The gateway's NAT-T port; also what the state machine believes its own NAT-T port is.</summary>
    public int NatTPort { get; }

    public IPEndPoint IkeLocal { get; }

    public IPEndPoint NatTLocal { get; }

    /// <summary>ESP-in-UDP from the gateway (the --tun data path).</summary>
    public Action<ReadOnlyMemory<byte>, IPEndPoint>? Esp { get; set; }

    private static Socket Open(IPAddress local)
    {
        var s = new Socket(local.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(local, 0));
        return s;
    }

    public void Start(IkeSaManager manager)
    {
        _manager = manager;
        _loops.Add(Task.Run(() => ReceiveLoop(_ike, natT: false)));
        if (_natt is not null)
            _loops.Add(Task.Run(() => ReceiveLoop(_natt, natT: true)));
        else
            _dataPath!.OnIke((message, remote) => manager.ProcessDatagram(message, VirtualNatTLocal, remote));
    }

    public void Send(ReadOnlyMemory<byte> ikeMessage, IPEndPoint local, IPEndPoint remote)
    {
        try
        {
            if (local.Port != NatTPort)
            {
                _ike.SendTo(ikeMessage.Span, SocketFlags.None, remote);
                return;
            }
            if (_dataPath is not null)
            {
                _dataPath.SendIke(ikeMessage.Span, remote);
                return;
            }
            // RFC 3948 §2.2: IKE on the NAT-T port carries four zero bytes first.
            var buffer = new byte[ikeMessage.Length + 4];
            ikeMessage.Span.CopyTo(buffer.AsSpan(4));
            _natt!.SendTo(buffer, SocketFlags.None, remote);
        }
        catch (SocketException)
        {
            // Unreachable gateway: the state machine retransmits and gives up on its own schedule.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Sends an ESP-in-UDP packet to the gateway's NAT-T port.</summary>
    public void SendEsp(ReadOnlySpan<byte> datagram, IPEndPoint remote)
    {
        if (_natt is null)
            throw new InvalidOperationException("with a data path, ESP leaves through the data plane");
        _natt.SendTo(datagram, SocketFlags.None, remote);
    }

    // What the state machine believes its NAT-T endpoint is (see the file header).
    private IPEndPoint VirtualNatTLocal => new(NatTLocal.Address, NatTPort);

    private async Task ReceiveLoop(Socket socket, bool natT)
    {
        var buffer = new byte[65535];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        var virtualLocal = natT ? VirtualNatTLocal : IkeLocal;
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult r;
            try
            {
                r = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }
            var remote = (IPEndPoint)r.RemoteEndPoint;
            var data = buffer.AsMemory(0, r.ReceivedBytes);
            if (!natT)
            {
                _manager?.ProcessDatagram(data.ToArray(), IkeLocal, remote);
                continue;
            }
            switch (UdpEncapsulation.Classify(data.Span))
            {
                case UdpEncapsulatedKind.Ike:
                    _manager?.ProcessDatagram(data[UdpEncapsulation.NonEspMarkerLength..].ToArray(), virtualLocal, remote);
                    break;
                case UdpEncapsulatedKind.Esp:
                    Esp?.Invoke(data, remote);
                    break;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _ike.Dispose();
        _natt?.Dispose();
        await Task.WhenAll(_loops).ConfigureAwait(false);
        _stop.Dispose();
    }
}
