// The IKE SA table of one gateway (charon's ike_sa_manager).
//
//  1. ProcessDatagram hands every datagram to the IkeReceiver (header, SPI, message-ID window);
//     everything for one SA runs under its Gate (one message, timer or API call at a time).
//  2. IkeMessageSender sends responses and our requests (window 1) and retransmits them.
//  3. The per-exchange work lives in Tasks/ (IkeInit, IkeAuth, ChildCreate, …).
//  4. This file keeps the table: SAs by our SPI and by name, half-open accounting, establish/destroy.
using System.Collections.Concurrent;
using System.Net;
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

    public IkeSaManager(IEnumerable<IkePeerConfig> peers, IIkeSender sender, IChildSaInstaller installer, IkeSaManagerOptions? options = null)
    {
        _peers = [.. peers];
        Sender = sender;
        Installer = installer;
        Options = options ?? new IkeSaManagerOptions();
        Debug = new IkeDebugLog(Options.Debug);
        Cookies = new CookieGenerator(timeProvider: Options.Time);
        DeletedResponses = new DeletedSaResponses(Options.Time);
        LoginThrottle = Options.LoginThrottle is { } throttle ? new Eap.LoginThrottle(throttle, Options.Time) : null;
        Outbound = new IkeMessageSender(this);
        TaskContext = new IkeTaskContext(this);
        _receiver = new IkeReceiver(this, TaskContext);
        installer.Attach(new ChildSaEventsAdapter(this));
    }

    private readonly IkeReceiver _receiver;

    /// <summary>What the tasks see of this manager.</summary>
    internal IkeTaskContext TaskContext { get; }

    /// <summary>Responses, requests and their retransmission for every SA of this manager.</summary>
    internal IkeMessageSender Outbound { get; }

    internal IIkeSender Sender { get; }
    internal IChildSaInstaller Installer { get; }
    internal IkeSaManagerOptions Options { get; }

    /// <summary>EAP password-guessing backoff shared by every SA of this manager; null when switched off.</summary>
    internal Eap.LoginThrottle? LoginThrottle { get; }
    internal IkeDebugLog Debug { get; }
    internal CookieGenerator Cookies { get; }

    /// <summary>Last responses of deleted SAs, for retransmitted requests (RFC 7296 §2.1).</summary>
    internal DeletedSaResponses DeletedResponses { get; }
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

    private readonly HalfOpenBySource _halfOpenBySource = new();

    /// <summary>Half-open SAs whose IKE_SA_INIT came from <paramref name="source"/> (the per-source limit).</summary>
    internal int HalfOpenFrom(IPAddress source) => _halfOpenBySource.CountFrom(source);

    private void LeaveHalfOpen(IkeSa sa)
    {
        if (sa.CountedHalfOpen)
        {
            sa.CountedHalfOpen = false;
            Interlocked.Decrement(ref _halfOpen);
            if (sa.InitKey is { } counted)
                _halfOpenBySource.Remove(counted.Remote.Address);
        }
        if (sa.InitKey is { } key)
        {
            _halfOpenByInit.TryRemove(new KeyValuePair<(ulong, IPEndPoint), IkeSa>(key, sa));
            sa.InitKey = null;
        }
    }

    public int Count => _byLocalSpi.Values.Count(s => s.State != IkeSaState.Destroyed && s.RekeyedTo is null);

    /// <summary>The live SAs (as <see cref="Count"/> counts them) per state, for metrics: every state but Destroyed has an entry.</summary>
    public IReadOnlyDictionary<IkeSaState, int> CountByState()
    {
        var counts = Enum.GetValues<IkeSaState>().Where(s => s != IkeSaState.Destroyed).ToDictionary(s => s, _ => 0);
        foreach (var sa in _byLocalSpi.Values)
        {
            var state = sa.State;
            if (state != IkeSaState.Destroyed && sa.RekeyedTo is null)
                counts[state]++;
        }
        return counts;
    }

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
    /// tells whether it came on the NAT-T port, <paramref name="interfaceIndex"/> the kernel's index of the
    /// interface it arrived on (0: not known). Never throws for anything the peer sends.
    /// </summary>
    public void ProcessDatagram(ReadOnlyMemory<byte> ikeBytes, IPEndPoint local, IPEndPoint remote, int interfaceIndex = 0)
    {
        try
        {
            Debug.UdpComes(remote, local, interfaceIndex, ikeBytes.Length);
            _receiver.Receive(ikeBytes, local, remote, interfaceIndex);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug must not take the receive loop down; the datagram counts as dropped.
            CountDrop("internal error: " + e.Message);
            Log.LogError(e, "IKE datagram from {Remote} caused an internal error", remote);
        }
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
            _halfOpenBySource.Add(remote.Address);
        }
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
                    // With EAP the client's key is checked only by the client: one that cannot verify our
                    // AUTH (another PSK, another IDr) stops answering, and this timeout is all we see.
                    if (sa.State == IkeSaState.Authenticating && !sa.AuthFailed)
                        ReportAuthFailure(sa, "no answer after the gateway's AUTH: the client could not verify it (PSK or ID mismatch) or gave up");
                    Destroy(sa, "half-open timeout");
                }
            }
        }, null, sa.Config.HalfOpenTimeout, Timeout.InfiniteTimeSpan);
    }

    /// <summary>A peer failed to authenticate: to the gateway's handler, or one warning line.</summary>
    internal void ReportAuthFailure(IkeSa sa, string reason)
    {
        var failure = new IkeAuthFailure(sa.Config.Name, sa.Remote, sa.PeerIdentity?.ToString(), sa.EapIdentity, reason);
        if (Options.AuthenticationFailed is { } handler)
            handler(failure);
        else
            Log.LogWarning("IKE SA {Name}[{Serial}] from {Peer}: authentication failed: {Reason}", sa.LogName, sa.Serial, sa.Remote, reason);
    }

    internal bool TryGetBySpi(ulong localSpi, out IkeSa sa) => _byLocalSpi.TryGetValue(localSpi, out sa!);

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
        sa.Named(instance);
        _names.Rename(sa, shownBefore);
    }

    /// <summary>Marks an SA established: timers for DPD and rekey, counters, event.</summary>
    internal void OnEstablished(IkeSa sa, bool rekeyed = false)
    {
        sa.MarkEstablished(Now);
        sa.HalfOpenTimer?.Dispose();
        sa.HalfOpenTimer = null;
        LeaveHalfOpen(sa);
        IkeDpd.Arm(TaskContext, sa);
        IkeRekey.Arm(TaskContext, sa);
        var ms = (long)(sa.Established!.Value - sa.Created).TotalMilliseconds;
        var t = sa.SetupTimes;
        sa.SetupTimes = t.Count == 0 ? (ms, ms, ms, 1) : (Math.Min(t.Min, ms), Math.Max(t.Max, ms), t.Sum + ms, t.Count + 1);
        if (Options.KeyLog is { } keyLog && sa.Keys is { } keys) keyLog(sa.SpiI, sa.SpiR, keys.Keys);
        if (rekeyed)
            return;
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
        sa.MarkDestroyed();
        sa.StopTimers();
        // A decision still running for this SA is abandoned before its name can go to another SA
        // (asynchronously: its continuations must not run under this SA's gate).
        if (sa.HookCancellation is { } hook)
        {
            sa.HookCancellation = null;
            _ = hook.CancelAsync();
        }
        // Whoever waits for our outstanding request learns that it will not be answered.
        if (sa.Tasks.Active is { } pending)
        {
            sa.Tasks.Active = null;
            pending.OnResponse(sa, null);
        }
        sa.Tasks.ClearQueued();
        var releaseName = !keepChildren && sa.RekeyedTo is null;
        if (releaseName)
        {
            foreach (var c in sa.Children.ToList())
                RemoveChild(sa, c, reason);
        }
        sa.ClearSecrets();
        // Only an authenticated peer's exchanges are worth answering again (a half-open SA's is IKE_SA_INIT's).
        if (wasEstablished)
            DeletedResponses.Remember(sa);
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


    public void Dispose()
    {
        foreach (var sa in AllSas.ToList())
            lock (sa.Gate)
                Destroy(sa, "shutdown");
    }
}
