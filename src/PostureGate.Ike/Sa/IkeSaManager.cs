// The IKE SA table of one gateway (charon's ike_sa_manager + the receiver/sender glue).
//
//  1. ProcessDatagram: header check, SA lookup by our SPI, then everything for that SA runs
//     under its Gate (one message, timer or API call at a time; no thread per SA).
//  2. Requests: window 1 (RFC 7296 §2.3): the expected ID is processed, the previous one gets
//     the cached response (§2.1), anything else is dropped.
//  3. Responses: must match our outstanding request; retransmission timers run on TimeProvider.
//  4. The per-exchange work lives in Tasks/ (IkeInit, IkeAuth, ChildCreate, …).
//  5. Errors after authentication become one Notify, sent from RespondError.
using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using PostureGate.Ike.Config;
using PostureGate.Ike.Crypto;
using PostureGate.Ike.Diagnostics;
using PostureGate.Ike.Kernel;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Ike.Tasks;

namespace PostureGate.Ike.Sa;

public sealed partial class IkeSaManager : IDisposable
{
    private readonly ConcurrentDictionary<ulong, IkeSa> _byLocalSpi = new();
    private readonly ConcurrentDictionary<(ulong SpiI, IPEndPoint Remote), IkeSa> _halfOpenByInit = new();
    private readonly InstanceNames _instances = new();
    private readonly IkeSaNameIndex _names = new();
    private IReadOnlyList<IkePeerConfig> _peers;
    private long _serial;
    private long _dropped;
    private int _ikeCreatedTotal, _ikeEstablishedTotal;
    private long _setupMsMin = long.MaxValue, _setupMsMax, _setupMsSum;

    public IkeSaManager(IEnumerable<IkePeerConfig> peers, IIkeSender sender, IChildSaInstaller installer, IkeSaManagerOptions? options = null)
    {
        _peers = [.. peers];
        Sender = sender;
        Installer = installer;
        Options = options ?? new IkeSaManagerOptions();
        Debug = new IkeDebugLog(Options.Debug);
        Cookies = new CookieGenerator(timeProvider: Options.Time);
        installer.Attach(new ChildSaEventsAdapter(this));
    }

    internal IIkeSender Sender { get; }
    internal IChildSaInstaller Installer { get; }
    internal IkeSaManagerOptions Options { get; }
    internal IkeDebugLog Debug { get; }
    internal CookieGenerator Cookies { get; }
    internal TimeProvider Time => Options.Time;
    internal ILogger Log => Options.Logger;
    internal DateTimeOffset Now => Options.Time.GetUtcNow();

    public event Action<IkeSaEstablishedEvent>? IkeSaEstablished;
    public event Action<IkeSaDeletedEvent>? IkeSaDeleted;
    public event Action<ChildSaInstalledEvent>? ChildSaInstalled;
    public event Action<ChildSaDeletedEvent>? ChildSaDeleted;

    /// <summary>Notifies received in INFORMATIONAL requests of established SAs (instance, notifies): token updates later.</summary>
    public event Action<string, IReadOnlyList<ReceivedNotify>>? InformationalNotifies;

    /// <summary>Datagrams dropped without an answer (garbage, out of window, failed integrity).</summary>
    public long DroppedDatagrams => Interlocked.Read(ref _dropped);

    private int _halfOpen;

    /// <summary>Unauthenticated IKE SAs (RFC 7296 §2.6 cookie threshold); kept as a counter, not a scan.</summary>
    public int HalfOpenCount => Volatile.Read(ref _halfOpen);

    private void LeaveHalfOpen(IkeSa sa)
    {
        if (sa.CountedHalfOpen)
        {
            sa.CountedHalfOpen = false;
            Interlocked.Decrement(ref _halfOpen);
        }
        if (sa.InitKey is { } key)
        {
            _halfOpenByInit.TryRemove(new KeyValuePair<(ulong, IPEndPoint), IkeSa>(key, sa));
            sa.InitKey = null;
        }
    }

    public int Count => _byLocalSpi.Values.Count(s => s.State != IkeSaState.Destroyed && s.RekeyedTo is null);

    /// <summary>Replaces the configuration; existing SAs keep theirs.</summary>
    public void UpdateConfiguration(IEnumerable<IkePeerConfig> peers) => _peers = [.. peers];

    internal IReadOnlyList<IkePeerConfig> Peers => _peers;

    internal void CountDrop(string why)
    {
        Interlocked.Increment(ref _dropped);
        Log.LogDebug("dropped IKE datagram: {Reason}", why);
    }

    internal long NextSerial() => Interlocked.Increment(ref _serial);

    internal byte[] Random(int n) => Options.Random(n);

    /// <summary>
    /// Entry point for every IKE datagram (without the RFC 3948 non-ESP marker); <paramref name="local"/>
    /// tells whether it came on the NAT-T port. Never throws for anything the peer sends.
    /// </summary>
    public void ProcessDatagram(ReadOnlyMemory<byte> ikeBytes, IPEndPoint local, IPEndPoint remote)
    {
        try
        {
            Debug.UdpComes(remote, local, ikeBytes.Length);
            Receive(ikeBytes, local, remote);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug must not take the receive loop down; the datagram counts as dropped.
            CountDrop("internal error: " + e.Message);
            Log.LogError(e, "IKE datagram from {Remote} caused an internal error", remote);
        }
    }

    private void Receive(ReadOnlyMemory<byte> bytes, IPEndPoint local, IPEndPoint remote)
    {
        if (!IkeHeader.TryRead(bytes.Span, out var header))
        {
            CountDrop("shorter than the IKE header");
            return;
        }
        if (!header.Verify(bytes.Length, out var headerError))
        {
            CountDrop(headerError.Reason);
            return;
        }
        if (header.Exchange == ExchangeType.IkeSaInit && !header.IsResponse)
        {
            if (header.ResponderSpi != 0)
            {
                CountDrop("IKE_SA_INIT request with a responder SPI");
                return;
            }
            IkeInit.ResponderReceive(this, header, bytes, local, remote);
            return;
        }
        // Our SPI is the responder SPI when the sender is the original initiator (I flag set).
        var ourSpi = header.IsInitiator ? header.ResponderSpi : header.InitiatorSpi;
        if (!_byLocalSpi.TryGetValue(ourSpi, out var sa) || (header.IsInitiator ? sa.SpiI != header.InitiatorSpi : sa.SpiR != header.ResponderSpi && header.Exchange != ExchangeType.IkeSaInit))
        {
            // §2.21.4 allows INVALID_IKE_SPI here; an unauthenticated answer only helps scanners.
            CountDrop("unknown IKE SPI");
            return;
        }
        lock (sa.Gate)
        {
            if (sa.State == IkeSaState.Destroyed)
                return;
            if (header.IsResponse)
                ReceiveResponse(sa, header, bytes, local, remote);
            else
                ReceiveRequest(sa, header, bytes, local, remote);
        }
    }

    // ---- requests we answer ----

    private void ReceiveRequest(IkeSa sa, IkeHeader header, ReadOnlyMemory<byte> bytes, IPEndPoint local, IPEndPoint remote)
    {
        // §2.1: a retransmission of the last request gets the same response again.
        if (sa.LastResponse is { } cached && header.MessageId == cached.MessageId)
        {
            if (IsRetransmit(bytes.Span, cached.RequestHash))
            {
                foreach (var d in cached.Datagrams)
                    Send(sa, d);
            }
            else
            {
                CountDrop("different request with the last answered message ID");
            }
            return;
        }
        // §2.3: anything but the next expected ID is out of the window; drop.
        if (header.MessageId != sa.ExpectedPeerRequestId || sa.AwaitingHook)
        {
            CountDrop($"message ID {header.MessageId} outside window (expected {sa.ExpectedPeerRequestId})");
            return;
        }
        var result = IkeWire.TryDecode(sa, bytes, fromPeerAsInitiator: header.IsInitiator, out var message, out var requestHash, out var error);
        if (result == DecodeResult.Incomplete)
            return;
        if (result == DecodeResult.Error)
        {
            // §2.21.2: integrity failures are dropped silently; before authentication all garbage is.
            if (error.Silent || sa.State is IkeSaState.Connecting)
                CountDrop(error.Reason ?? "undecodable request");
            else
                RespondError(sa, header, bytes.Span, error.Notify, error.NotificationData);
            return;
        }
        UpdatePeerAddress(sa, local, remote);
        sa.LastInbound = Now;
        switch (header.Exchange)
        {
            case ExchangeType.IkeAuth:
                IkeAuth.ResponderProcess(this, sa, message!, requestHash);
                break;
            case ExchangeType.CreateChildSa:
                CreateChildSaResponder.Process(this, sa, message!, requestHash);
                break;
            case ExchangeType.Informational:
                Informational.ResponderProcess(this, sa, message!, requestHash);
                break;
            default:
                RespondError(sa, header, bytes.Span, NotifyType.InvalidSyntax, null);
                break;
        }
    }

    private static bool IsRetransmit(ReadOnlySpan<byte> request, byte[] cachedHash) =>
        CryptographicOperations.FixedTimeEquals(HashRequest(request), cachedHash);

    /// <summary>
    /// Identifies a request for §2.1 retransmit detection. For fragmented requests (RFC 7383 §2.6.1)
    /// only fragment 1 is kept in the hash by the reassembly, so any copy of it matches.
    /// </summary>
    internal static byte[] HashRequest(ReadOnlySpan<byte> request) => SHA256.HashData(request);

    /// <summary>Sends a response and caches it for retransmitted requests; the window moves on.</summary>
    internal void Respond(IkeSa sa, IkeMessage request, byte[] requestHash, IReadOnlyList<IkePayload> payloads)
    {
        var header = new IkeHeader(sa.SpiI, sa.SpiR, PayloadType.NoNextPayload, request.Header.Exchange,
            (sa.IsInitiator ? IkeHeaderFlags.Initiator : IkeHeaderFlags.None) | IkeHeaderFlags.Response, request.Header.MessageId, 0);
        var datagrams = IkeWire.Encode(sa, header, payloads);
        sa.LastResponse = new CachedResponse(request.Header.MessageId, requestHash, datagrams);
        sa.ExpectedPeerRequestId = request.Header.MessageId + 1;
        foreach (var d in datagrams)
            Send(sa, d);
    }

    /// <summary>The one place where a request we cannot process becomes an error Notify (§2.21.2).</summary>
    internal void RespondError(IkeSa sa, IkeHeader requestHeader, ReadOnlySpan<byte> requestBytes, NotifyType type, byte[]? data)
    {
        var request = new IkeMessage(requestHeader);
        Debug.Sa(sa.LogName, sa.Serial, $"sending {type.IanaName()} notify");
        Respond(sa, request, HashRequest(requestBytes), [new NotifyPayload(type, data)]);
    }

    internal void Send(IkeSa sa, byte[] datagram)
    {
        sa.LastOutbound = Now;
        Sender.Send(datagram, sa.Local, sa.Remote);
    }

    /// <summary>NAT rebinding (RFC 7296 §2.23): after a NAT, follow the peer's new address and port.</summary>
    private void UpdatePeerAddress(IkeSa sa, IPEndPoint local, IPEndPoint remote)
    {
        if (sa.Remote.Equals(remote) && sa.Local.Equals(local))
            return;
        var natT = local.Port == Options.NatTPort;
        if (!sa.NatRemote && !sa.NatLocal && sa.State == IkeSaState.Established)
            return;
        sa.Remote = remote;
        sa.Local = local;
        foreach (var c in sa.Children)
            Installer.UpdatePeer(sa.LogName, c.InboundSpi, c.OutboundSpi, remote, natT);
    }

    // ---- responses to our requests ----

    private void ReceiveResponse(IkeSa sa, IkeHeader header, ReadOnlyMemory<byte> bytes, IPEndPoint local, IPEndPoint remote)
    {
        var pending = sa.Outstanding;
        if (pending is null || pending.MessageId != header.MessageId || pending.Exchange != header.Exchange)
        {
            CountDrop($"unexpected response {header.MessageId}");
            return;
        }
        var result = IkeWire.TryDecode(sa, bytes, fromPeerAsInitiator: header.IsInitiator, out var message, out _, out var error);
        if (result == DecodeResult.Incomplete)
            return;
        if (result == DecodeResult.Error)
        {
            CountDrop(error.Reason ?? "undecodable response");
            return;
        }
        sa.LastInbound = Now;
        pending.Timer?.Dispose();
        sa.Outstanding = null;
        sa.NextRequestId = header.MessageId + 1;
        pending.OnResponse(sa, message);
        StartNextQueued(sa);
    }

    /// <summary>Sends a request (window 1: queued behind an outstanding one) and retransmits it until answered.</summary>
    internal void Request(IkeSa sa, ExchangeType exchange, string name, Func<IkeSa, IReadOnlyList<IkePayload>?> build, Action<IkeSa, IkeMessage?> onResponse)
    {
        void Start(IkeSa s)
        {
            var payloads = build(s);
            if (payloads is null || s.State == IkeSaState.Destroyed)
            {
                StartNextQueued(s);
                return;
            }
            var header = new IkeHeader(s.SpiI, s.SpiR, PayloadType.NoNextPayload, exchange,
                s.IsInitiator ? IkeHeaderFlags.Initiator : IkeHeaderFlags.None, s.NextRequestId, 0);
            var datagrams = IkeWire.Encode(s, header, payloads);
            if (exchange == ExchangeType.IkeSaInit)
                s.InitRequest = datagrams[0];
            var pending = new PendingRequest { MessageId = s.NextRequestId, Datagrams = datagrams, Exchange = exchange, OnResponse = onResponse };
            s.Outstanding = pending;
            foreach (var d in datagrams)
                Send(s, d);
            ArmRetransmit(s, pending, exchange == ExchangeType.Informational && name == "dpd");
        }
        if (sa.Outstanding is null && sa.Queue.Count == 0)
            Start(sa);
        else
            sa.Queue.Enqueue(new QueuedExchange(name, Start));
    }

    internal void StartQueued(IkeSa sa) => StartNextQueued(sa);

    private void StartNextQueued(IkeSa sa)
    {
        if (sa.Outstanding is null && sa.State != IkeSaState.Destroyed && sa.Queue.TryDequeue(out var next))
            next.Start(sa);
    }

    private void ArmRetransmit(IkeSa sa, PendingRequest pending, bool dpd)
    {
        // DPD probes follow FortiOS: dpd-retrycount retries every dpd-retryinterval.
        var tries = dpd ? sa.Config.DpdRetryCount : Options.Retransmit.Tries;
        TimeSpan Delay(int attempt) => dpd ? sa.Config.DpdRetryInterval : Options.Retransmit.Delay(attempt);
        pending.Timer = Time.CreateTimer(_ =>
        {
            lock (sa.Gate)
            {
                if (sa.Outstanding != pending || sa.State == IkeSaState.Destroyed)
                    return;
                if (pending.Attempt >= tries)
                {
                    Debug.Sa(sa.LogName, sa.Serial, dpd ? "DPD timed out, peer is dead" : "giving up after retransmits");
                    var onResponse = pending.OnResponse;
                    sa.Outstanding = null;
                    pending.Timer?.Dispose();
                    onResponse(sa, null);
                    Destroy(sa, dpd ? "dpd timeout" : "retransmit timeout");
                    return;
                }
                pending.Attempt++;
                Debug.Sa(sa.LogName, sa.Serial, $"retransmitting request {pending.MessageId} (attempt {pending.Attempt})");
                foreach (var d in pending.Datagrams)
                    Send(sa, d);
                pending.Timer?.Change(Delay(pending.Attempt), Timeout.InfiniteTimeSpan);
            }
        }, null, Delay(0), Timeout.InfiniteTimeSpan);
    }

    // ---- table ----

    internal void AddHalfOpen(IkeSa sa, IPEndPoint remote)
    {
        _byLocalSpi[sa.LocalSpi] = sa;
        _names.Add(sa);
        if (!sa.IsInitiator)
        {
            sa.InitKey = (sa.SpiI, remote);
            _halfOpenByInit[(sa.SpiI, remote)] = sa;
            sa.CountedHalfOpen = true;
            Interlocked.Increment(ref _halfOpen);
        }
        Interlocked.Increment(ref _ikeCreatedTotal);
        // An initiator gives up through its retransmission schedule; the half-open limit protects responders.
        if (sa.IsInitiator)
            return;
        sa.HalfOpenTimer = Time.CreateTimer(_ =>
        {
            lock (sa.Gate)
            {
                if (sa.State is IkeSaState.Connecting or IkeSaState.Authenticating && sa.State != IkeSaState.Destroyed)
                {
                    Debug.Sa(sa.LogName, sa.Serial, "negotiation timeout, deleting");
                    Destroy(sa, "half-open timeout");
                }
            }
        }, null, sa.Config.HalfOpenTimeout, Timeout.InfiniteTimeSpan);
    }

    internal bool TryFindHalfOpen(ulong spiI, IPEndPoint remote, out IkeSa? sa) => _halfOpenByInit.TryGetValue((spiI, remote), out sa);

    internal void Register(IkeSa sa)
    {
        _byLocalSpi[sa.LocalSpi] = sa;
        _names.Add(sa);
    }

    internal IEnumerable<IkeSa> AllSas => _byLocalSpi.Values.Distinct();

    /// <summary>Names a dial-up SA with the lowest free instance of its phase 1 (`dialup_0`).</summary>
    internal string AcquireInstance(IkeSa sa)
    {
        var instance = _instances.Acquire(sa.Config.Name);
        NameInstance(sa, instance);
        return instance;
    }

    /// <summary>Gives the SA its instance name; the name lookups follow.</summary>
    internal void NameInstance(IkeSa sa, string instance)
    {
        var shownBefore = sa.LogName;
        sa.Instance = instance;
        _names.Rename(sa, shownBefore);
    }

    /// <summary>Marks an SA established: timers for DPD and rekey, counters, event.</summary>
    internal void OnEstablished(IkeSa sa, bool rekeyed = false)
    {
        sa.State = IkeSaState.Established;
        sa.Established ??= Now;
        sa.HalfOpenTimer?.Dispose();
        sa.HalfOpenTimer = null;
        LeaveHalfOpen(sa);
        IkeDpd.Arm(this, sa);
        IkeRekey.Arm(this, sa);
        if (rekeyed)
            return;
        Interlocked.Increment(ref _ikeEstablishedTotal);
        var ms = (long)(sa.Established.Value - sa.Created).TotalMilliseconds;
        lock (_instances)
        {
            _setupMsMin = Math.Min(_setupMsMin, ms);
            _setupMsMax = Math.Max(_setupMsMax, ms);
            _setupMsSum += ms;
        }
        Log.LogInformation("IKE SA {Instance}[{Serial}] established with {Peer} as {Identity} (EAP user {EapUser}, virtual IP {VirtualIp})",
            sa.LogName, sa.Serial, sa.Remote, sa.PeerIdentity, sa.EapIdentity, sa.VirtualIp);
        IkeSaEstablished?.Invoke(new IkeSaEstablishedEvent(sa.LogName, sa.Config.Name, sa.Serial, sa.Remote,
            sa.PeerIdentity?.ToString() ?? "", sa.EapIdentity, sa.VirtualIp, sa.IsInitiator));
    }

    internal void RaiseChildInstalled(IkeSa sa, ChildSa child, bool rekey) =>
        ChildSaInstalled?.Invoke(new ChildSaInstalledEvent(sa.LogName, child.Config.Name, child.InboundSpi, child.OutboundSpi, rekey));

    internal void RaiseChildDeleted(IkeSa sa, ChildSa child, string reason) =>
        ChildSaDeleted?.Invoke(new ChildSaDeletedEvent(sa.LogName, child.Config.Name, child.InboundSpi, child.OutboundSpi, reason));

    internal void RaiseInformational(IkeSa sa, IReadOnlyList<ReceivedNotify> notifies) =>
        InformationalNotifies?.Invoke(sa.LogName, notifies);

    /// <summary>Removes a CHILD_SA from the data plane and the SA.</summary>
    internal void RemoveChild(IkeSa sa, ChildSa child, string reason)
    {
        child.StopTimers();
        Installer.Remove(sa.LogName, child.InboundSpi, child.OutboundSpi);
        _childIndex.TryRemove(child.InboundSpi, out _);
        child.ClearKeys();
        if (sa.Children.Remove(child))
            RaiseChildDeleted(sa, child, reason);
    }

    /// <summary>Tears an SA down locally (no message): children, lease, instance name, keys, table entries.</summary>
    internal void Destroy(IkeSa sa, string reason, bool keepChildren = false)
    {
        if (sa.State == IkeSaState.Destroyed)
            return;
        var wasEstablished = sa.Established is not null;
        sa.State = IkeSaState.Destroyed;
        sa.StopTimers();
        // A decision still running for this SA is abandoned before its name can go to another SA
        // (asynchronously: its continuations must not run under this SA's gate).
        if (sa.HookCancellation is { } hook)
        {
            sa.HookCancellation = null;
            _ = hook.CancelAsync();
        }
        // Whoever waits for our outstanding request learns that it will not be answered.
        if (sa.Outstanding is { } pending)
        {
            sa.Outstanding = null;
            pending.OnResponse(sa, null);
        }
        sa.Queue.Clear();
        var releaseName = !keepChildren && sa.RekeyedTo is null;
        if (releaseName)
        {
            foreach (var c in sa.Children.ToList())
                RemoveChild(sa, c, reason);
        }
        sa.ClearSecrets();
        _byLocalSpi.TryRemove(new KeyValuePair<ulong, IkeSa>(sa.LocalSpi, sa));
        _names.Remove(sa);
        LeaveHalfOpen(sa);
        Debug.Sa(sa.LogName, sa.Serial, $"deleting IKE SA ({reason})");
        // A rekeyed SA hands its instance to the new one: nothing was deleted from the gateway's view.
        if ((wasEstablished || sa.Instance is not null) && sa.RekeyedTo is null)
        {
            Log.LogInformation("IKE SA {Instance}[{Serial}] with {Peer} deleted: {Reason}", sa.LogName, sa.Serial, sa.Remote, reason);
            IkeSaDeleted?.Invoke(new IkeSaDeletedEvent(sa.LogName, sa.Config.Name, sa.Serial, reason));
        }
        // The name is freed last: whoever follows IkeSaDeleted (the posture gate's record of this
        // SA) has let go of it before another SA can be given the same name.
        if (releaseName && sa.Instance is not null)
        {
            sa.Config.AddressPool?.Release(sa.Instance);
            _instances.Release(sa.Instance);
        }
    }

    /// <summary>Starts a post-authentication decision: its token ends at HookTimeout or when the SA goes.</summary>
    internal CancellationToken BeginPostAuthentication(IkeSa sa)
    {
        var cts = new CancellationTokenSource(Options.HookTimeout, Time);
        sa.HookCancellation = cts;
        return cts.Token;
    }

    /// <summary>The decision is in (under the SA's gate); a source the SA's destruction cancelled is left to it.</summary>
    internal static void EndPostAuthentication(IkeSa sa)
    {
        if (sa.HookCancellation is not { } cts)
            return;
        sa.HookCancellation = null;
        cts.Dispose();
    }

    internal void ReleaseInstanceName(string instance) => _instances.Release(instance);

    internal (int Created, int Established, long Min, long Avg, long Max) IkeCounters()
    {
        lock (_instances)
        {
            var est = Volatile.Read(ref _ikeEstablishedTotal);
            return (Volatile.Read(ref _ikeCreatedTotal), est, est == 0 ? 0 : _setupMsMin, est == 0 ? 0 : _setupMsSum / est, _setupMsMax);
        }
    }

    public void Dispose()
    {
        foreach (var sa in AllSas.ToList())
            lock (sa.Gate)
                Destroy(sa, "shutdown");
    }
}
