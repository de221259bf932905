// The userspace ESP data plane: the SAD between one TUN device and one UDP socket on
// the NAT-T port. One pipeline per direction (EspDataPlane.Receive.cs, EspDataPlane.Send.cs),
// each two stages joined by a FIFO of pre-allocated batches: per-SA order is kept because
// each stage is one thread, and the ESP work of one stage overlaps the system calls of the
// other (packet I/O, not crypto, is the cost per packet here).
// The control plane drives it only through IEspDataPlane.
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PostureGate.Esp.Devices;
using PostureGate.Esp.Sad;
using PostureGate.Net;

namespace PostureGate.Esp;

public sealed partial class EspDataPlane : IEspDataPlane, IDisposable
{
    private readonly ITunDevice _tun;
    private readonly IPacketBind _bind;
    private readonly EspDataPlaneOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SecurityAssociationDatabase _sad;
    private readonly Crypto.EspCryptoBackend _backend;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Thread> _threads = [];
    private readonly List<BatchPipe> _pipes = [];
    private ITimer? _lifetimeTimer;

    private long _unknownSpi;
    private long _invalidDatagrams;
    private long _ikeDatagrams;
    private long _natKeepalives;
    private long _noRoute;
    private long _outboundDrops;
    // Per batch, not per packet: each is written by its direction's one reading thread.
    private long _rxBatches, _rxBatchPackets, _txBatches, _txBatchPackets;

    public EspDataPlane(ITunDevice tun, IPacketBind bind, EspDataPlaneOptions? options = null, ILogger<EspDataPlane>? logger = null)
    {
        _tun = tun;
        _bind = bind;
        _options = options ?? new EspDataPlaneOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.BatchSize, 1);
        _logger = logger ?? NullLogger<EspDataPlane>.Instance;
        _time = _options.Time;
        _backend = Crypto.EspTransform.Resolve(_options.Crypto);
        _sad = new SecurityAssociationDatabase(_time, OnExpired, _backend);
    }

    public event Action<EspSaExpire>? Expired;

    /// <summary>Which library does the ESP cryptography of this data plane's SAs: "libcrypto-evp" or "bcl".</summary>
    public string CryptoBackend => _backend == Crypto.EspCryptoBackend.OpenSsl ? "libcrypto-evp" : "bcl";

    /// <summary>The options in force (threads per direction, moderation, batch size).</summary>
    public EspDataPlaneOptions Options => _options;

    public EspDataPlaneCounters Counters => new(
        (ulong)Interlocked.Read(ref _unknownSpi), (ulong)Interlocked.Read(ref _invalidDatagrams),
        (ulong)Interlocked.Read(ref _ikeDatagrams), (ulong)Interlocked.Read(ref _natKeepalives),
        (ulong)Interlocked.Read(ref _noRoute), (ulong)Interlocked.Read(ref _outboundDrops));

    /// <summary>Batches read from the socket (rx) and the TUN device (tx) and the packets in them (metrics: the mean batch size).</summary>
    public EspBatchCounters Batches => new(
        (ulong)Interlocked.Read(ref _rxBatches), (ulong)Interlocked.Read(ref _rxBatchPackets),
        (ulong)Interlocked.Read(ref _txBatches), (ulong)Interlocked.Read(ref _txBatchPackets));

    // Once per non-empty batch a device read returned.
    private static void CountBatch(ref long batches, ref long packets, int n)
    {
        if (n <= 0)
            return;
        Interlocked.Increment(ref batches);
        Interlocked.Add(ref packets, n);
    }

    /// <summary>ESP packets, bytes and drops of every SA this data plane had (metrics; read on demand).</summary>
    public EspTrafficTotals TrafficTotals => _sad.Totals();

    /// <summary>Starts the receive and send loops and the lifetime job.</summary>
    public void Start()
    {
        if (_threads.Count != 0)
            throw new InvalidOperationException("already started");
        StartDirection("esp-rx", ReceiveStage, WriteToTunStage);
        StartDirection("esp-tx", ReadFromTunStage, SendStage);
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
        var length = UdpEncapsulation.NonEspMarkerLength + message.Length;
        var rented = System.Buffers.ArrayPool<byte>.Shared.Rent(length);
        try
        {
            UdpEncapsulation.WriteIke(message, rented);
            _bind.SendTo(rented.AsSpan(0, length), remote);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Sends a NAT-keepalive (RFC 3948 §2.3), as FortiOS does every `keepalive` seconds behind NAT.</summary>
    public void SendNatKeepalive(IPEndPoint remote) =>
        _bind.SendTo([UdpEncapsulation.NatKeepaliveByte], remote);

    internal SecurityAssociationDatabase Sad => _sad;

    // A direction is stage 1 (device read + ESP processing into batch.Output) and stage 2 (device
    // write of batch.Output). With a pipe each stage has its own thread; without, one thread runs both.
    private void StartDirection(string name, Func<PacketBatch, CancellationToken, int> produce, Action<PacketBatch> consume)
    {
        var token = _stop.Token;
        if (_options.PipelineDepth <= 0)
        {
            Spawn(name, () =>
            {
                var batch = new PacketBatch(_options.BatchSize, _options.BufferCapacity);
                RunLoop(name, token, () =>
                {
                    batch.Count = produce(batch, token);
                    if (batch.Count > 0)
                        consume(batch);
                    if (batch.Count < _options.BatchSize / 4)
                        Moderate();
                });
            });
            return;
        }
        var pipe = new BatchPipe(_options.PipelineDepth, _options.BatchSize, _options.BufferCapacity);
        _pipes.Add(pipe);
        Spawn(name, () => RunLoop(name, token, () =>
        {
            if (pipe.Rent(token) is not { } batch)
                return;
            var published = false;
            try
            {
                batch.Count = produce(batch, token);
                if (batch.Count > 0)
                {
                    pipe.Publish(batch);
                    published = true;
                }
            }
            finally
            {
                if (!published)
                    pipe.Return(batch); // a failed read must not shrink the set of batches
            }
        }));
        Spawn(name + "-out", () => RunLoop(name + "-out", token, () =>
        {
            if (pipe.Next(token) is not { } batch)
                return;
            try
            {
                consume(batch);
            }
            finally
            {
                pipe.Return(batch);
            }
        }));
    }

    // See EspDataPlaneOptions.Moderation.
    private unsafe void Moderate()
    {
        var ticks = _options.Moderation.Ticks;
        if (ticks <= 0 || !OperatingSystem.IsLinux())
            return;
        var request = new Devices.Linux.LibC.TimeSpec { Seconds = 0, Nanoseconds = ticks * 100 };
        Devices.Linux.LibC.NanoSleep(&request, null);
    }

    private void Spawn(string name, ThreadStart body)
    {
        var thread = new Thread(body) { IsBackground = true, Name = name };
        _threads.Add(thread);
        thread.Start();
    }

    // The loop of one stage. Device errors are logged, not fatal.
    private void RunLoop(string name, CancellationToken token, Action iteration)
    {
        while (!token.IsCancellationRequested)
        {
            try
            {
                iteration();
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
        foreach (var thread in _threads)
            thread.Join();
        foreach (var pipe in _pipes)
            pipe.Dispose();
        _sad.Clear();
        _stop.Dispose();
    }
}
