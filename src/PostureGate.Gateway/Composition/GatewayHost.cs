// The running gateway: one IKE manager over every dial-up phase1, the UDP
// endpoints it listens on, the ESP data plane and its TUN devices (when the
// process may create them), the firewall, and the control socket behind
// `pgate diagnose`. Start order: data plane, sockets, control socket; stop in
// reverse, deleting every SA first so clients learn at once.
using System.Net;
using Microsoft.Extensions.Logging;
using PostureGate.Config.Host;
using PostureGate.Config.Model;
using PostureGate.Esp;
using PostureGate.Esp.Devices.Linux;
using PostureGate.Gateway.Control;
using PostureGate.Gateway.Debug;
using PostureGate.Gateway.Diagnose;
using PostureGate.Gateway.Firewall;
using PostureGate.Gateway.Net;
using PostureGate.Ike.Diagnostics;
using PostureGate.Ike.Kernel;
using PostureGate.Kernel;
using PostureGate.Ike.Sa;
using PostureGate.Net;
using PostureGate.Platform;

namespace PostureGate.Gateway.Composition;

public sealed partial class GatewayHost : IAsyncDisposable
{
    private readonly GatewayHostOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _log;
    private readonly List<UdpIkeEndpoint> _endpoints = [];
    private readonly List<DataPlaneInstance> _dataPlanes = [];
    private readonly DiagnoseRegistry _diagnose = new();
    private ControlServer? _control;
    private IChildSaInstaller _installer = null!;
    private TunnelFirewall? _firewall;
    private RouteTable _routes = RouteTable.Empty;
    private InterfaceMap _interfaces = InterfaceMap.Empty;
    private bool _natInstalled;
    // One numbering for every data plane's tunnels: the one firewall hook tells them apart.
    private readonly TunnelNumbering _tunnelNumbers = new();
    private readonly PoolRoutes _poolRoutes;
    private readonly IkeSendRouter _ikeRoutes;

    private sealed record DataPlaneInstance(string Phase1, IPAddress Listen, IPEndPoint Local, EspDataPlane Esp, LinuxTunDevice Tun, LinuxUdpBind Bind,
        EspChildSaInstaller Installer);

    private GatewayHost(GatewayConfig config, GatewayHostOptions options, ILoggerFactory loggers)
    {
        Config = config;
        _options = options;
        _loggers = loggers;
        _log = loggers.CreateLogger("PostureGate.Gateway");
        Debug = new DebugLog();
        _poolRoutes = new PoolRoutes(args => HostCommand.Ip(null, args), _log);
        _ikeRoutes = new IkeSendRouter(_log);
    }

    public GatewayConfig Config { get; private set; }

    public DebugLog Debug { get; }

    public IkeSaManager Ike { get; private set; } = null!;

    /// <summary>Whether ESP is carried (TUN devices exist); false in the control-plane-only mode.</summary>
    public bool DataPlaneActive => _dataPlanes.Count > 0;

    public IReadOnlyList<IPEndPoint> IkeEndpoints => _endpoints.Select(e => e.Local).ToArray();

    public string ControlPath => _options.ControlPath;

    public DateTimeOffset Started { get; } = DateTimeOffset.UtcNow;

    /// <summary>Registers the `diagnose` commands other parts add (the posture gate's).</summary>
    public DiagnoseRegistry Diagnose => _diagnose;

    public static async Task<GatewayHost> StartAsync(GatewayConfig config, GatewayHostOptions options, ILoggerFactory loggers,
        IPostAuthenticationHook? postAuth = null, IGatewayMatchHook? gatewayMatch = null, CancellationToken ct = default)
    {
        var host = new GatewayHost(config, options, loggers);
        try
        {
            await host.StartCoreAsync(postAuth, gatewayMatch, ct).ConfigureAwait(false);
            return host;
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task StartCoreAsync(IPostAuthenticationHook? postAuth, IGatewayMatchHook? gatewayMatch, CancellationToken ct)
    {
        var peers = PeerConfigs(Config);
        var dialups = Config.Phase1Interfaces.Where(p => p.Type == Phase1Type.Dynamic).ToList();
        if (dialups.Count == 0)
            throw new GatewayStartException("the configuration has no `vpn ipsec phase1-interface` of `type dynamic`: nothing to serve");

        ResolveInterfaces();
        var ikePort = _options.IkePort ?? Config.Settings.IkePort;
        var nattPort = _options.NatTPort ?? Config.Settings.IkeNattPort;
        var locals = dialups.Select(ListenAddressOf).Distinct().ToList();

        var wantData = _options.DataPlane switch
        {
            DataPlaneMode.On => true,
            DataPlaneMode.Off => false,
            _ => HostCommands.CanCreateTun(),
        };
        if (_options.DataPlane == DataPlaneMode.On && !HostCommands.CanCreateTun())
            throw new GatewayStartException("the data plane needs root (or CAP_NET_ADMIN) and /dev/net/tun; run as root or use --data-plane off");

        var debugSink = new DebugSinkAdapter(Debug);
        var dataPlaneInstallers = new List<EspChildSaInstaller>();
        if (wantData)
        {
            _firewall = new TunnelFirewall(TunnelPhase1, dst => RouteInterface(dst));
            _firewall.Policies = FirewallBuilder.Build(Config, _options.DynamicAddresses);
            _routes = await RouteTable.LoadAsync(ct).ConfigureAwait(false);
            foreach (var local in locals)
            {
                var owner = dialups.First(p => ListenAddressOf(p).Equals(local));
                var dp = StartDataPlane(owner, local, new IPEndPoint(local, nattPort));
                _dataPlanes.Add(dp);
                dataPlaneInstallers.Add(dp.Installer);
            }
            _poolRoutes.Apply(WantedPoolRoutes());
            _installer = dataPlaneInstallers.Count == 1 ? dataPlaneInstallers[0] : new RoutingInstaller(dataPlaneInstallers, _dataPlanes.Select(d => d.Local).ToArray());
            await ApplyNatAsync(ct).ConfigureAwait(false);
        }
        else
        {
            _installer = new InMemoryChildSaInstaller { KeepJournal = false };
        }

        var authFailures = new Posture.AuthFailureAuditor(_loggers, _options.Time);
        Ike = new IkeSaManager(peers, _ikeRoutes, StartKeyLog(_installer), new IkeSaManagerOptions
        {
            Time = _options.Time,
            Debug = debugSink,
            Logger = _loggers.CreateLogger("PostureGate.Ike"),
            PostAuthentication = postAuth ?? AllowAllPostAuthenticationHook.Instance,
            HookTimeout = _options.PostureDecisionBudget + TimeSpan.FromSeconds(5),
            GatewayMatch = gatewayMatch ?? MatchAnyGatewayHook.Instance,
            InterfaceOf = InterfaceLabels(),
            NatTPort = nattPort,
            PrivateNotifyNames = Posture.PrivateNotifies.NameOf,
            AuthenticationFailed = f =>
            {
                _ikeMetrics?.AuthenticationFailed(f);
                authFailures.Report(f.Phase1, f.Peer, f.User ?? f.PeerId, f.Reason);
            },
            KeyLog = IkeKeyLog,
            DescribeNotify = Posture.NotifyDebugText.Describe,
            TunnelNotify = Posture.NotifyDebugText.IsTunnelNotify,
        });
        foreach (var dp in _dataPlanes)
            dp.Installer.Attach(Ike.ChildSaEvents);
        if (_installer is InMemoryChildSaInstaller mem)
            mem.Attach(Ike.ChildSaEvents);

        // Metrics and the console listen before IKE does: whoever waits for UDP 500 finds them served too.
        StartMetrics();
        await StartAdminAsync(ct).ConfigureAwait(false);
        // The wildcard beside specific addresses on one port needs SO_REUSEADDR on each socket.
        var share = locals.Count > 1 && locals.Contains(IPAddress.Any);
        foreach (var local in locals)
        {
            _endpoints.Add(Bind(new IPEndPoint(local, ikePort), natT: false, share));
            if (!_dataPlanes.Any(d => d.Local.Address.Equals(local)))
                _endpoints.Add(Bind(new IPEndPoint(local, nattPort), natT: true, share));
        }
        foreach (var dp in _dataPlanes)
            dp.Esp.Start();
        // The registry and heartbeats start with the listeners; a redirect names the first IKE endpoint.
        _options.Cluster?.Attach(Ike, IkeEndpoints.FirstOrDefault(e => e.Port == ikePort)?.ToString() ?? "");

        RegisterDiagnose();
        _control = ControlServer.Start(_options.ControlPath, (req, output, token) => _diagnose.DispatchAsync(req.Words, req.Json, output, token), _log, _diagnose.ChangesState);
    }

    private UdpIkeEndpoint Bind(IPEndPoint local, bool natT, bool share)
    {
        try
        {
            var endpoint = UdpIkeEndpoint.Bind(local, natT, (m, l, r, i) => Ike.ProcessDatagram(m, l, r, i), _log, share);
            _ikeRoutes.AddSocket(endpoint.Local, endpoint.SendIke);
            return endpoint;
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            throw new GatewayStartException(ex.SocketErrorCode switch
            {
                System.Net.Sockets.SocketError.AddressNotAvailable =>
                    $"cannot listen on {local}: the address is not on this host (set the phase1 interface's `ip`, or listen elsewhere with --listen)",
                System.Net.Sockets.SocketError.AddressAlreadyInUse => $"cannot listen on {local}: the port is in use (another IKE daemon?)",
                System.Net.Sockets.SocketError.AccessDenied => $"cannot listen on {local}: ports below 1024 need root or CAP_NET_BIND_SERVICE",
                _ => $"cannot listen on {local}: {ex.Message}",
            });
        }
    }

    private DataPlaneInstance StartDataPlane(Phase1Interface owner, IPAddress listen, IPEndPoint natt)
    {
        LinuxTunDevice tun;
        try
        {
            tun = LinuxTunDevice.Create(owner.Name, 1400, offload: _options.DataPlaneTuning.TunOffload);
        }
        catch (TunDeviceException ex)
        {
            throw new GatewayStartException($"tunnel interface '{owner.Name}': {ex.Message}");
        }
        LinuxUdpBind bind;
        try
        {
            bind = LinuxUdpBind.Open(natt);
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException or InvalidOperationException)
        {
            tun.Dispose();
            throw new GatewayStartException($"cannot listen on {natt} for ESP-in-UDP: {ex.Message}");
        }
        var localEp = (IPEndPoint)bind.LocalEndPoint;
        var ifindex = Net.InterfaceIndex.Of(localEp.Address);
        var esp = new EspDataPlane(tun, bind, _options.DataPlaneTuning.Esp with
        {
            Policy = _firewall!,
            Time = _options.Time,
            IkeReceived = (message, remote) => Ike.ProcessDatagram(message, localEp, remote, ifindex),
        }, _loggers.CreateLogger<EspDataPlane>());
        var installer = new EspChildSaInstaller(esp, new EspChildSaInstallerOptions
        {
            ActivityPoll = TimeSpan.FromSeconds(1),
            Time = _options.Time,
            TunnelNumbers = _tunnelNumbers,
            TunnelGroupOf = InstanceName.Phase1Of,
        });
        _ikeRoutes.AddDataPlane(localEp, esp.SendIke);
        _log.LogInformation("data plane: TUN {Tun}, ESP-in-UDP on {Local}", tun.Name, localEp);
        return new DataPlaneInstance(owner.Name, listen, localEp, esp, tun, bind, installer);
    }

    // Each pool of the dial-up phase1s a data plane serves (those listening on its address) goes to its TUN device.
    private IEnumerable<(Ipv4Subnet Prefix, string Device)> WantedPoolRoutes()
    {
        foreach (var dp in _dataPlanes)
        {
            foreach (var p1 in Config.Phase1Interfaces)
            {
                if (p1.Type != Phase1Type.Dynamic || !ListenAddressOf(p1).Equals(dp.Listen) || !p1.TryGetIpv4Pool(out var start, out var end))
                    continue;
                foreach (var prefix in Ipv4Subnet.Cover(start, end))
                    yield return (prefix, dp.Tun.Name);
            }
        }
    }

    private async Task ApplyNatAsync(CancellationToken ct)
    {
        var rules = FirewallBuilder.Masquerade(Config, LinuxNameOf).ToList();
        if (rules.Count == 0 && !_natInstalled)
            return;
        var (rc, err) = await NatMasquerade.ApplyAsync(rules, ct).ConfigureAwait(false);
        if (rc != 0)
            _log.LogWarning("nat: installing the masquerade rules failed: {Error}", err);
        else
            _natInstalled = true;
    }

    /// <summary>SIGHUP: a valid new configuration replaces the running one; sockets stay as they are.</summary>
    public async Task ReloadAsync(GatewayConfig config, CancellationToken ct)
    {
        Config = config;
        ResolveInterfaces();
        Ike.UpdateConfiguration(PeerConfigs(config));
        if (_firewall is not null)
        {
            _firewall.Policies = FirewallBuilder.Build(config, _options.DynamicAddresses);
            // What start installed follows the new configuration: pools added or dropped.
            _poolRoutes.Apply(WantedPoolRoutes());
            _routes = await RouteTable.LoadAsync(ct).ConfigureAwait(false);
            await ApplyNatAsync(ct).ConfigureAwait(false);
        }
        await ReloadAdminAsync(config, ct).ConfigureAwait(false);
        _log.LogInformation("configuration reloaded from {File}", config.FileName);
    }

    private IReadOnlyList<Ike.Config.IkePeerConfig> PeerConfigs(GatewayConfig config) =>
        IkeSettingsBuilder.Build(config, _options.Revocations, _options.Cluster is { } cluster ? cluster.Pool : null,
            _options.Cluster?.RedirectTargets).Select(p => _options.ListenAddress is null ? p
            : p with { LocalAddress = _options.LoopbackPerPhase1 ? ListenAddressOf(config.Phase1Interfaces.Find(p.Name)!) : null }).ToArray();

    /// <summary>Where a dial-up phase1 listens: its interface's address, or the override.</summary>
    public IPAddress ListenAddressOf(Phase1Interface p1) =>
        ListenAddresses.Of(Config.Phase1Interfaces, p1, _options.ListenAddress, _options.LoopbackPerPhase1);

    private void ResolveInterfaces() => _interfaces = InterfaceMap.Resolve(Config, new LinuxHostInterfaceSource());

    private string? LinuxNameOf(INamedInterface intf) => _interfaces.LinuxNameOf(intf);

    // Each phase1's own interface and kernel index, looked up once at start.
    private Func<string, string> InterfaceLabels()
    {
        var labels = Config.Phase1Interfaces.ToDictionary(p => p.Name, InterfaceLabel, StringComparer.Ordinal);
        return name => labels.GetValueOrDefault(name, "");
    }

    private string InterfaceLabel(Phase1Interface p1)
    {
        var linux = LinuxNameOf(p1.Interface) ?? p1.Interface.Name;
        var index = HostCommands.InterfaceIndex(linux);
        return index > 0 ? $"{p1.Interface.Name} {index}" : p1.Interface.Name; // no such device here: no index to show
    }

    private string? RouteInterface(uint destination) =>
        _routes.Lookup(destination) is { } dev && _interfaces.TryGetConfigured(dev, out var name) ? name : null;

    private string? TunnelPhase1(int tunnelId)
    {
        foreach (var dp in _dataPlanes)
        {
            if (dp.Installer.TryGetTunnelGroup(tunnelId, out var phase1))
                return phase1;
        }
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAdminAsync().ConfigureAwait(false);
        if (_control is not null)
            await _control.DisposeAsync().ConfigureAwait(false);
        if (Ike is not null)
        {
            Ike.Clear();
            Ike.Dispose();
        }
        foreach (var ep in _endpoints)
            await ep.DisposeAsync().ConfigureAwait(false);
        foreach (var dp in _dataPlanes)
        {
            dp.Installer.Dispose();
            dp.Esp.Dispose();
            dp.Bind.Dispose();
            dp.Tun.Dispose();
        }
        if (_natInstalled)
            await NatMasquerade.RemoveAsync(CancellationToken.None).ConfigureAwait(false);
        StopObservability();
    }

    private sealed class DebugSinkAdapter(DebugLog debug) : IIkeDebugSink
    {
        // The IKE layer formats a line only when this is true: a console attached and ike's level set.
        public bool IsEnabled => debug.IsEnabled("ike");

        public void Write(string line) => debug.Write("ike", line);
    }
}

public sealed class GatewayStartException(string message) : Exception(message);
