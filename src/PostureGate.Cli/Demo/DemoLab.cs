// The whole system in one process on loopback, for `pgate demo` and the client tests:
//   1. the configuration (examples/dialup.conf) copied with its dial-up interfaces on 127.0.0.x;
//   2. one EMS per enabled fctems entry (the seed's ems1 and ems3 are two servers), each on a
//      free HTTPS port with its data in a temporary directory and the entry's serial-number as
//      its serial (the seed's FCTEMS8826000120);
//   3. the posture gate with each fctems connector pointed at its EMS through a SlowLink (which
//      can make that EMS slow), a short out-of-sync-threshold (so "EMS unreachable" is reached in
//      about a second), FortiOS's call-timeout (30 s) and a 5 s posture decision budget;
//   4. the gateway, control plane only, on free IKE / NAT-T ports;
//   5. the ike debug stream at -1, captured line by line.
// Dispose stops it all and deletes the directory. Every wait here is for a condition, with a
// ceiling (Patience) sized for a machine running a thousand other tests: it only ends a wedged run.
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PostureGate.Client;
using PostureGate.Config.Model;
using PostureGate.Ems;
using PostureGate.Ems.Storage;
using PostureGate.Gateway;
using PostureGate.Gateway.Composition;
using PostureGate.Posture;

namespace PostureGate.Cli.Demo;

public sealed record DemoLabOptions
{
    public required string ConfigPath { get; init; }
    /// <summary>fctems call-timeout: how long a lookup may wait for an EMS that does not answer (FortiOS's default).</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>`pgate gateway --posture-decision-budget`: how long the EMS may take before the token decides (the slow-EMS step holds the EMS's replies until both its decisions are made).</summary>
    public TimeSpan DecisionBudget { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>fctems out-of-sync-threshold: how long cached tags decide after the EMS is lost.</summary>
    public TimeSpan OutOfSyncThreshold { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>Gateway and EMS logs on the console (else silent).</summary>
    public bool Verbose { get; init; }
}

public sealed class DemoLabException(string message) : Exception(message);

public sealed class DemoLab : IAsyncDisposable
{
    /// <summary>The ceiling of every wait for a condition (EMS sync, the gateway learning of an endpoint, a tunnel going): generous, it only ends a wedged run.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly CancellationTokenSource _stop = new();
    private readonly ILoggerFactory _loggers;
    private Task _debugPump = Task.CompletedTask;
    private readonly Dictionary<int, EmsServer> _ems = [];
    // Per EMS: the gateway key its first start showed, and the invitation the lab's clients enroll with.
    private readonly Dictionary<int, (string GatewayKey, string Invite)> _emsSecrets = [];
    private readonly Dictionary<int, SlowLink> _links = [];
    private readonly HashSet<int> _emsStopped = [];
    private PostureComposition? _posture;
    private GatewayHost? _gateway;

    private DemoLab(string directory, GatewayConfig config, IReadOnlyDictionary<string, IPAddress> addresses, ILoggerFactory loggers, DemoLabOptions options)
    {
        Options = options;
        DataDirectory = directory;
        Config = config;
        InterfaceAddresses = addresses;
        _loggers = loggers;
    }

    public string DataDirectory { get; }

    public DemoLabOptions Options { get; }

    /// <summary>The configuration as the gateway runs it (interfaces on loopback).</summary>
    public GatewayConfig Config { get; }

    public IReadOnlyDictionary<string, IPAddress> InterfaceAddresses { get; }

    /// <summary>The EMS serving fctems entry <paramref name="fctemsId"/>.</summary>
    public EmsServer EmsFor(int fctemsId) =>
        _ems.TryGetValue(fctemsId, out var e) ? e : throw new DemoLabException($"no enabled fctems entry {fctemsId}");

    /// <summary>The link between the gateway and the EMS of fctems entry <paramref name="fctemsId"/>: set its Delay to make that EMS slow.</summary>
    public SlowLink LinkTo(int fctemsId) =>
        _links.TryGetValue(fctemsId, out var l) ? l : throw new DemoLabException($"no enabled fctems entry {fctemsId}");

    /// <summary>The EMS a phase1's first remote-gw-ztna-tags entry names (EMS3_ZTNA_a → fctems 3).</summary>
    public EmsServer EmsOf(string phase1) => EmsFor(FctemsOf(Phase1(phase1)));

    private int FctemsOf(Phase1Interface p1) =>
        p1.RemoteGwZtnaTags.Select(t => DynamicAddressName.TryParse(t.Name, out var n) ? n.ConnectorId : 0).FirstOrDefault(id => _ems.ContainsKey(id)) is var id and > 0
            ? id : _ems.Keys.Min();

    public PostureComposition Posture => _posture!;

    public GatewayHost Gateway => _gateway!;

    public DebugCapture Debug { get; } = new();

    public int IkePort { get; private set; }

    public int NatTPort { get; private set; }

    public static async Task<DemoLab> StartAsync(DemoLabOptions options, CancellationToken ct)
    {
        var seed = GatewayCommand.LoadOrReport(options.ConfigPath, TextWriter.Null)
            ?? throw new DemoLabException($"{options.ConfigPath} has errors (pgate config check {options.ConfigPath})");
        var addresses = LoopbackConfig.AddressesFor(seed);
        if (!LoopbackConfig.TryRewrite(await File.ReadAllTextAsync(options.ConfigPath, ct).ConfigureAwait(false), addresses, out var text, out var missing))
            throw new DemoLabException($"{options.ConfigPath}: interface \"{missing}\" has no `set ip` to move onto loopback");
        var directory = Directory.CreateTempSubdirectory("pgate-demo-").FullName;
        var path = Path.Combine(directory, "dialup-loopback.conf");
        await File.WriteAllTextAsync(path, text, ct).ConfigureAwait(false);
        var config = GatewayCommand.LoadOrReport(path, TextWriter.Null);
        if (config is null)
        {
            Directory.Delete(directory, recursive: true);
            throw new DemoLabException($"{options.ConfigPath}: the loopback copy does not load");
        }
        var loggers = options.Verbose ? GatewayCommand.CreateLoggers(verbose: false) : NullLoggerFactory.Instance;
        var lab = new DemoLab(directory, config, addresses, loggers, options);
        try
        {
            await lab.StartCoreAsync(options, ct).ConfigureAwait(false);
            return lab;
        }
        catch
        {
            await lab.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task StartCoreAsync(DemoLabOptions options, CancellationToken ct)
    {
        var entries = Config.FctEms.Where(f => f.Enabled).ToList();
        if (entries.Count == 0)
            throw new DemoLabException("the configuration has no enabled `endpoint-control fctems` entry");
        var started = await Task.WhenAll(entries.Select(async f => (f.Id, Server: await EmsServer.StartAsync(new EmsOptions
        {
            DataDirectory = Path.Combine(DataDirectory, $"ems{f.Id}"),
            Listen = "https://127.0.0.1:0",
            SerialNumber = f.SerialNumber,
            ChangePollInterval = TimeSpan.FromMilliseconds(100),
            ConfigureLogging = options.Verbose ? null : b => b.ClearProviders(),
        }, ct).ConfigureAwait(false)))).ConfigureAwait(false);
        foreach (var (id, server) in started)
        {
            _ems[id] = server;
            _emsSecrets[id] = (server.ApiKey ?? server.Store.RotateApiKey(ApiKeyKind.Gateway),
                server.Store.CreateInvite(EmsStore.MaxInviteUses, null).Code ?? throw new DemoLabException("could not make an EMS invitation"));
            var uri = new Uri(server.Url);
            _links[id] = new SlowLink(new IPEndPoint(IPAddress.Parse(uri.Host), uri.Port));
        }
        EmsConnectorSettings Connector(FctEms f)
        {
            var ems = _ems[f.Id];
            var uri = new Uri(ems.Url);
            return new()
            {
                Id = f.Id,
                Name = f.Name ?? $"ems{f.Id}",
                Server = uri.Host,
                Port = _links[f.Id].Port,
                SerialNumber = ems.SerialNumber,
                TenantId = ems.TenantId,
                CertificateFingerprint = ems.CertificateFingerprint,
                ApiKey = _emsSecrets[f.Id].GatewayKey,
                CallTimeout = options.CallTimeout,
                OutOfSyncThreshold = options.OutOfSyncThreshold,
                PullTags = f.PullTags,
                ReconnectDelayMin = TimeSpan.FromMilliseconds(200),
                ReconnectDelayMax = TimeSpan.FromSeconds(2),
            };
        }
        _posture = new PostureComposition(Config, _loggers, TimeProvider.System, null, Connector, options.DecisionBudget);
        for (var attempt = 0; ; attempt++)
        {
            (IkePort, NatTPort) = FreeUdpPorts();
            try
            {
                _gateway = await GatewayHost.StartAsync(Config, new GatewayHostOptions
                {
                    ControlPath = Path.Combine(DataDirectory, "pgate.sock"),
                    DataPlane = DataPlaneMode.Off,
                    IkePort = IkePort,
                    NatTPort = NatTPort,
                    DynamicAddresses = _posture.DynamicAddress,
                    Revocations = _posture.Revocations,
                    PostureDecisionBudget = options.DecisionBudget,
                }, _loggers, _posture, _posture, ct).ConfigureAwait(false);
                break;
            }
            catch (GatewayStartException) when (attempt < 3)
            {
                // Someone took a port between the probe and the bind: probe again.
            }
            catch (GatewayStartException ex)
            {
                throw new DemoLabException("the gateway did not start: " + ex.Message);
            }
        }
        _posture.Attach(_gateway);
        _posture.Start();
        _gateway.Debug.SetLevel("ike", -1);
        _debugPump = _gateway.Debug.AttachAsync(Debug, _stop.Token);
        using var sync = CancellationTokenSource.CreateLinkedTokenSource(ct);
        sync.CancelAfter(Patience);
        try
        {
            await Task.WhenAll(_posture.Connectors.Select(c => c.WaitForSyncAsync(sync.Token))).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new DemoLabException($"the fctems connectors did not synchronise with the EMS within {Patience.TotalSeconds:0} s");
        }
    }

    // Two distinct free ports, probed on every address the gateway will bind.
    private (int Ike, int NatT) FreeUdpPorts()
    {
        using var a = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        using var b = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        a.Bind(new IPEndPoint(IPAddress.Any, 0));
        b.Bind(new IPEndPoint(IPAddress.Any, 0));
        return (((IPEndPoint)a.LocalEndPoint!).Port, ((IPEndPoint)b.LocalEndPoint!).Port);
    }

    /// <summary>Where a phase1 answers IKE: its interface's loopback address and the lab's IKE port.</summary>
    public IPEndPoint EndpointOf(string phase1) => new(AddressOf(Phase1(phase1)), IkePort);

    private Phase1Interface Phase1(string name) =>
        Config.Phase1Interfaces.Find(name) ?? throw new DemoLabException($"no phase1-interface \"{name}\" in the configuration");

    private IPAddress AddressOf(Phase1Interface p1) =>
        InterfaceAddresses.TryGetValue(p1.Interface.Name, out var a) ? a : IPAddress.Loopback;

    /// <summary>
    /// A FortiClient for <paramref name="phase1"/>: its PSK, the first member of its user group with
    /// that user's password, enrolled with the lab's EMS, reporting <paramref name="reportedIp"/>.
    /// </summary>
    public ClientSettings ClientFor(string phase1, string uid, IPAddress reportedIp)
    {
        var p1 = Phase1(phase1);
        var user = p1.AuthUserGroup?.Members.FirstOrDefault() ?? throw new DemoLabException($"{phase1} has no authusrgrp member");
        var emsId = FctemsOf(p1);
        var ems = EmsFor(emsId);
        return new ClientSettings
        {
            Gateway = EndpointOf(phase1),
            NatTPort = NatTPort,
            Psk = p1.PskSecret is { } psk ? psk.Utf8.ToArray() : [],
            User = user.Name,
            Password = user.Password is { } pw ? Encoding.UTF8.GetString(pw.Utf8) : null,
            Ems = new Uri(ems.Url),
            EmsFingerprint = ems.CertificateFingerprint,
            InviteCode = _emsSecrets[emsId].Invite,
            DeviceDirectory = Path.Combine(DataDirectory, "devices"),
            Uid = uid,
            ReportedIp = reportedIp,
            LocalAddress = IPAddress.Loopback,
            Tunnel = phase1,
            Reconnect = false,
            ConnectTimeout = TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>Runs `diagnose WORDS` on the gateway and returns what it printed.</summary>
    public async Task<string> DiagnoseAsync(string words, CancellationToken ct = default)
    {
        using var output = new StringWriter();
        await Gateway.Diagnose.DispatchAsync(words.Split(' ', StringSplitOptions.RemoveEmptyEntries), false, output, ct).ConfigureAwait(false);
        return output.ToString();
    }

    /// <summary>Stops the EMS of fctems entry <paramref name="fctemsId"/> and waits until its connector's cache
    /// may no longer decide (out-of-sync-threshold passed).</summary>
    public async Task StopEmsAsync(int fctemsId, CancellationToken ct)
    {
        var ems = EmsFor(fctemsId);
        if (!_emsStopped.Add(fctemsId))
            return;
        await ems.StopAsync(ct).ConfigureAwait(false);
        if (!await UntilAsync(() => !Posture.Connectors.Any(c => c.Settings.Id == fctemsId && c.CacheUsable), ct).ConfigureAwait(false))
            throw new DemoLabException($"fctems {fctemsId} still trusts its cache {Patience.TotalSeconds:0} s after its EMS stopped");
    }

    /// <summary>
    /// Waits until the gateway's cache of the EMS behind <paramref name="phase1"/> holds endpoint
    /// <paramref name="uid"/> as <paramref name="ready"/> says: the seed's endpoints are registered
    /// before they connect, so their tags decide from the cache, not from a live lookup racing the
    /// decision budget on a loaded machine.
    /// </summary>
    public async Task WaitUntilGatewayKnowsAsync(string phase1, string uid, Func<EndpointEntry, bool> ready, CancellationToken ct)
    {
        var id = FctemsOf(Phase1(phase1));
        var connector = Posture.Connectors.First(c => c.Settings.Id == id);
        if (!await UntilAsync(() => connector.Store.TryGetByUid(uid, out var e) && ready(e), ct).ConfigureAwait(false))
            throw new DemoLabException($"fctems {id}: the gateway did not learn of endpoint {uid} from its EMS within {Patience.TotalSeconds:0} s");
    }

    /// <summary>Polls <paramref name="condition"/> until it holds (true) or <see cref="Patience"/> passed (false).</summary>
    public static async Task<bool> UntilAsync(Func<bool> condition, CancellationToken ct)
    {
        var until = Environment.TickCount64 + (long)Patience.TotalMilliseconds;
        while (!condition())
        {
            if (Environment.TickCount64 > until)
                return false;
            await Task.Delay(25, ct).ConfigureAwait(false);
        }
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_gateway is not null)
            await _gateway.DisposeAsync().ConfigureAwait(false);
        await _debugPump.ConfigureAwait(false);
        if (_posture is not null)
            await _posture.DisposeAsync().ConfigureAwait(false);
        foreach (var ems in _ems.Values)
            await ems.DisposeAsync().ConfigureAwait(false);
        foreach (var link in _links.Values)
            await link.DisposeAsync().ConfigureAwait(false);
        _loggers.Dispose();
        _stop.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temporary directory is the system's to clean.
        }
    }
}
