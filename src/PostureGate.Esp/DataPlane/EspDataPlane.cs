// The userspace ESP data plane: the SAD between one TUN device and one UDP socket on
// the NAT-T port. Two loops, one per direction (EspDataPlane.Receive.cs and
// EspDataPlane.Send.cs), each owning its batch of buffers: per-SA order is kept because
// a direction is one thread, and the two directions use the two cores.
// The control plane drives it only through IEspDataPlane.
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PostureGate.Esp.Devices;
using PostureGate.Esp.Sad;

namespace PostureGate.Esp;

public sealed partial class EspDataPlane : IEspDataPlane, IDisposable
{
    private readonly ITunDevice _tun;
    private readonly IPacketBind _bind;
    private readonly EspDataPlaneOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SecurityAssociationDatabase _sad;
    private readonly CancellationTokenSource _stop = new();
    private Thread? _receiveThread;
    private Thread? _sendThread;
    private ITimer? _lifetimeTimer;

    private long _unknownSpi;
    private long _invalidDatagrams;
    private long _ikeDatagrams;
    private long _natKeepalives;
    private long _noRoute;
    private long _outboundDrops;

    public EspDataPlane(ITunDevice tun, IPacketBind bind, EspDataPlaneOptions? options = null, ILogger<EspDataPlane>? logger = null)
    {
        _tun = tun;
        _bind = bind;
        _options = options ?? new EspDataPlaneOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.BatchSize, 1);
        _logger = logger ?? NullLogger<EspDataPlane>.Instance;
        _time = _options.Time;
        _sad = new SecurityAssociationDatabase(_time, OnExpired);
    }

    public event Action<EspSaExpire>? Expired;

    public EspDataPlaneCounters Counters => new(
        (ulong)Interlocked.Read(ref _unknownSpi), (ulong)Interlocked.Read(ref _invalidDatagrams),
        (ulong)Interlocked.Read(ref _ikeDatagrams), (ulong)Interlocked.Read(ref _natKeepalives),
        (ulong)Interlocked.Read(ref _noRoute), (ulong)Interlocked.Read(ref _outboundDrops));

    /// <summary>Starts the receive and send loops and the lifetime job.</summary>
    public void Start()
    {
        if (_receiveThread is not null)
            throw new InvalidOperationException("already started");
        _receiveThread = new Thread(RoutineReceiveIncoming) { IsBackground = true, Name = "esp-rx" };
        _sendThread = new Thread(RoutineReadFromTun) { IsBackground = true, Name = "esp-tx" };
        _receiveThread.Start();
        _sendThread.Start();
        _lifetimeTimer = _time.CreateTimer(_ => CheckLifetimes(), null, _options.LifetimeCheckInterval, _options.LifetimeCheckInterval);
        EspLog.Started(_logger, _bind.LocalEndPoint, _tun.Name, _tun.Mtu);
    }

    public void AddChildSa(EspSaConfig inbound, EspSaConfig outbound, IPAddress virtualIp, int tunnelId)
    {
        _sad.Add(inbound, outbound, virtualIp, tunnelId);
        EspLog.Installed(_logger, inbound.Spi, outbound.Spi, tunnelId, virtualIp);
    }

    public bool DeleteChildSa(uint inboundSpi)
    {
        if (!_sad.Delete(inboundSpi))
            return false;
        EspLog.Deleted(_logger, inboundSpi);
        return true;
    }

    public int DeleteTunnel(int tunnelId) => _sad.DeleteTunnel(tunnelId);

    public bool UpdatePeer(int tunnelId, IPEndPoint peer) => _sad.UpdatePeer(tunnelId, peer);

    public bool TryGetChildSaCounters(uint inboundSpi, out EspSaCounters inbound, out EspSaCounters outbound)
    {
        if (_sad.TryGetPair(inboundSpi, out var pair))
        {
            inbound = pair.Inbound.Counters;
            outbound = pair.Outbound.Counters;
            return true;
        }
        inbound = outbound = default;
        return false;
    }

    public bool TryGetTunnelCounters(int tunnelId, out TunnelCounters counters)
    {
        if (_sad.TryGetTunnel(tunnelId, out var tunnel))
        {
            counters = tunnel.Snapshot(_time);
            return true;
        }
        counters = default;
        return false;
    }

    /// <summary>Checks SA time lifetimes now (the timer does this every <see cref="EspDataPlaneOptions.LifetimeCheckInterval"/>).</summary>
    public void CheckLifetimes() => _sad.CheckLifetimes();

    /// <summary>Sends an IKE message on the shared socket behind the non-ESP marker (RFC 3948 §2.2).</summary>
    public void SendIke(ReadOnlySpan<byte> message, IPEndPoint remote)
    {
        var length = Wire.UdpEncapsulation.NonEspMarkerLength + message.Length;
        var rented = System.Buffers.ArrayPool<byte>.Shared.Rent(length);
        try
        {
            Wire.UdpEncapsulation.WriteIke(message, rented);
            _bind.SendTo(rented.AsSpan(0, length), remote);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Sends a NAT-keepalive (RFC 3948 §2.3), as FortiOS does every `keepalive` seconds behind NAT.</summary>
    public void SendNatKeepalive(IPEndPoint remote) =>
        _bind.SendTo([Wire.UdpEncapsulation.NatKeepaliveByte], remote);

    internal SecurityAssociationDatabase Sad => _sad;

    // One direction's thread: it owns a batch of buffers and a batch of outgoing references for
    // its whole life, so the steady state allocates nothing. Device errors are logged, not fatal.
    private void RunLoop(string name, Action<PacketBuffer[], PacketBuffer[], CancellationToken> iteration)
    {
        var batch = PacketBuffer.CreateBatch(_options.BatchSize, _options.BufferCapacity);
        var output = new PacketBuffer[_options.BatchSize];
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                iteration(batch, output, token);
            }
            catch (Exception) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                EspLog.DeviceError(_logger, name, e);
                token.WaitHandle.WaitOne(10); // a broken device must not spin a core
            }
        }
    }

    private void OnExpired(EspSaExpire expire)
    {
        // Raised under the SA's lock on a packet thread: hand the IKE layer's work to the pool.
        ThreadPool.UnsafeQueueUserWorkItem(static state =>
        {
            var (self, e) = state;
            EspLog.Expired(self._logger, e.Spi, e.Inbound ? "in" : "out", e.TunnelId, e.Hard ? "hard" : "soft", e.Limit);
            self.Expired?.Invoke(e);
        }, (this, expire), preferLocal: false);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _lifetimeTimer?.Dispose();
        _receiveThread?.Join();
        _sendThread?.Join();
        _sad.Clear();
        _stop.Dispose();
    }
}
