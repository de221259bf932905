// One FortiClient-style session: enroll with the EMS (device key + certificate,
// renewed before it expires), register over mutual TLS and report facts, fetch
// the ZTNA token, connect (IKEv2 initiator: PSK-authenticated gateway,
// EAP-MSCHAPv2 user, CP request, FORTICLIENT_CONNECT + ZTNA_TAG notifies; an RFC 5685 redirect in
// IKE_SA_INIT is followed, IkeInitRedirectFollower), then
// stay connected: answer DPD and rekeys (the state machine does), refresh and
// re-send the token before it expires or when the tags change, reconnect with
// backoff when the tunnel goes away, and delete it cleanly on stop.
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using PostureGate.Esp;
using PostureGate.Ike.Config;
using PostureGate.Ike.Diagnostics;
using PostureGate.Ike.Kernel;
using PostureGate.Ike.Sa;
using PostureGate.Kernel;
using PostureGate.Posture;

namespace PostureGate.Client;

public sealed record ClientStatus(
    string State, string Gateway, string? Instance, string? VirtualIp, IReadOnlyList<string> Dns, IReadOnlyList<string> SplitNetworks,
    string? Uid, string? EmsSerial, IReadOnlyList<string> Tags, DateTimeOffset? TokenExpires, DateTimeOffset? ConnectedSince, string? LastError);

public sealed class ClientSession : IAsyncDisposable
{
    private readonly ClientSettings _s;
    private readonly TextWriter _out;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _lost = new(0);
    private ClientTransport? _transport;
    private ClientDataPath? _dataPath;
    private IkeSaManager? _ike;
    private EmsEnrollment? _ems;
    private DeviceCredentials? _device;
    private MachineFacts? _facts;
    private EmsRegistration? _registration;
    private EmsToken? _token;
    private IkeInitiateResult? _result;
    private PostureReason? _revocation;
    private IReadOnlyList<string> _tags = [];
    private DateTimeOffset? _connectedSince;
    private string _state = "starting";
    private string? _lastError;
    private PostureReason? _gatewayReason;

    public ClientSession(ClientSettings settings, TextWriter output, TimeProvider? time = null, IIkeDebugSink? debug = null)
    {
        _s = settings;
        _out = output;
        _time = time ?? TimeProvider.System;
        _registration = settings.Registration;
        Debug = debug ?? NullIkeDebugSink.Instance;
    }

    public IIkeDebugSink Debug { get; }

    public IkeInitiateResult? Result => _result;

    /// <summary>Why the gateway last refused or revoked the tunnel (POSTURE_REASON), null when it said nothing.</summary>
    public PostureReason? GatewayReason => _gatewayReason;

    /// <summary>The exit code for a connection's outcome: 7 when the gateway refused it for posture and said why.</summary>
    public int ExitCodeOf(IkeInitiateResult result) =>
        result.Success ? ClientExitCodes.Ok
        : result.PeerCertificateRejected ? ClientExitCodes.GatewayUntrusted
        : _gatewayReason is not null ? ClientExitCodes.PostureRefused : ClientExitCodes.ConnectionFailed;

    /// <summary>Where CHILD_SAs are recorded without `--tun` (control plane only); with it the data plane installs them.</summary>
    public InMemoryChildSaInstaller Installer { get; } = new();

    /// <summary>The last token fetched from the EMS (demos derive a tampered one from it).</summary>
    internal EmsToken? Token => _token;

    public ClientStatus Status => new(_state, (_result?.Gateway is { } g ? new IPEndPoint(g.Address, _s.Gateway.Port) : _s.Gateway).ToString(), _result?.Instance, _result?.VirtualIp?.ToString(),
        _result?.Dns.Select(d => d.ToString()).ToArray() ?? [], _result?.SplitNetworks.Select(n => n.ToString()).ToArray() ?? [],
        _facts?.Uid, _registration?.EmsSerial, _tags, _token?.ExpiresAt, _connectedSince, _lastError);

    /// <summary>Connects once: EMS enrollment (when configured), then the IKE SA. The result says why it failed.</summary>
    public async Task<IkeInitiateResult> ConnectOnceAsync(CancellationToken ct)
    {
        await EnsureTransportAsync().ConfigureAwait(false);
        if (_s.Ems is not null)
        {
            try
            {
                await EnrollAsync(ct).ConfigureAwait(false);
            }
            catch (Exception ex) when ((ex is EmsEnrollmentException { Refused: false } or HttpRequestException or TaskCanceledException) && !ct.IsCancellationRequested && _registration is not null)
            {
                // FortiClient keeps its registration and token while the EMS is away; the gateway may accept the token.
                // Not when the EMS refuses this device (revoked, unenrolled): that is an answer, not an outage.
                Say($"EMS unreachable ({ex.Message}); connecting with the registration{(_token is null ? "" : " and the token")} from before");
            }
        }
        else
        {
            _facts ??= LoadFacts();
        }
        SetState("connecting");
        if (_s.TokenOverride is { } fromFile)
            Say($"sending the ZTNA token given ({fromFile.Length} characters) instead of the EMS's");
        Say($"connecting to {_s.Gateway} as {_s.User}");
        var notifies = new List<NotifyToSend>
        {
            new(PrivateNotifies.FortiClientConnect, FortiClientConnectBody.Build(new FortiClientConnectInfo
            {
                Uid = _facts!.Uid,
                FctVersion = _facts.FctVersion,
                Ip = _facts.Ip,
                Macs = _facts.Macs,
                Host = _facts.Host,
                User = _facts.User,
                OsVersion = _facts.OsVersion,
                RegistrationStatus = _registration is null ? 1 : 0,
                EmsSerial = _registration?.EmsSerial,
                EmsTenantId = _registration?.TenantId,
                SendsTagToken = TokenToSend() is not null,
            })),
        };
        if (TokenToSend() is { } token)
            notifies.Add(new NotifyToSend(PrivateNotifies.ZtnaTag, Encoding.ASCII.GetBytes(token)));
        var ownCertificate = _s.DeviceCertificate ? DeviceCertificate() : null;
        var peer = new IkePeerConfig
        {
            Name = _s.Tunnel ?? "client",
            Proposals = _s.Proposals,
            DhGroups = _s.DhGroups,
            Psk = _s.Psk,
            EapEnabled = true,
            LocalCertificates = ownCertificate is null ? [] : [ownCertificate],
            PeerCertificates = _s.GatewayCa is { } ca ? new PostureGate.Ike.Auth.PeerCertificatePolicy { TrustedAuthorities = [ca] } : null,
            Children = [new ChildConfig { Name = "client", Proposals = _s.EspProposals }],
        };
        var initiate = _ike!.InitiateAsync(new IkeInitiatorOptions
        {
            Config = peer,
            Local = _transport!.IkeLocal,
            Remote = _s.Gateway,
            // With the device certificate the IDi is the certificate's own name (RFC 4945 §3.1), unless --local-id says otherwise.
            Identity = ownCertificate is not null && _s.LocalId is null ? null : OwnIdentity(),
            DialledName = _s.GatewayCa is not null && _s.GatewayName is { } dialled
                ? IPAddress.TryParse(dialled, out var address) ? IkeIdentity.FromAddress(address) : IkeIdentity.Fqdn(dialled)
                : null,
            RemoteIdentity = _s.GatewayId is { } gid ? IkeIdentity.FromString(gid) : null,
            EapUser = _s.User,
            EapPassword = _s.Password,
            AuthNotifies = notifies,
            AuthNotifiesInLastRequest = _s.NotifiesInLastAuth,
            InitialContact = _s.InitialContact,
            // RFC 5685: a draining or loaded gateway may send us to another one in IKE_SA_INIT.
            FollowRedirects = true,
            RedirectNotice = Say,
        });
        var done = await Task.WhenAny(initiate, Task.Delay(_s.ConnectTimeout, ct)).ConfigureAwait(false);
        var result = done == initiate ? await initiate.ConfigureAwait(false) : IkeInitiateResult.Failed($"no answer from {_s.Gateway} within {_s.ConnectTimeout.TotalSeconds:0} s");
        _result = result;
        _gatewayReason = result.Success ? null : ReasonOf(result.Notifies);
        if (result.Success && result.Child is not null)
        {
            _connectedSince = _time.GetUtcNow();
            _lastError = null;
            var posture = result.Notifies.Any(n => n.Type == PrivateNotifies.EmsZtnaTagsCheckSuccess) ? " (gateway: EMS ZTNA tags check success)" : "";
            Say($"connected: {result.Instance}, address {result.VirtualIp}, DNS {string.Join(' ', result.Dns)}, split {string.Join(' ', result.SplitNetworks)}{posture}");
            ConfigureDataPath(result);
            // "connected" in the status file once the device carries the address and routes (--tun).
            SetState("connected");
        }
        else
        {
            _lastError = Describe(result.Error ?? result.ChildError ?? "failed") + (_gatewayReason is { } why ? $": {why.Text}" : "");
            SetState("failed");
            Say($"connection failed: {_lastError}");
        }
        return result;
    }

    // --tun: the device gets the virtual IP and the routes once the gateway has assigned them.
    private void ConfigureDataPath(IkeInitiateResult result)
    {
        if (_dataPath is null || result.Child is not { } child)
            return;
        if (result.VirtualIp is not { } vip)
        {
            Say($"{_dataPath.DeviceName}: the gateway assigned no virtual IP; no traffic is routed into the tunnel");
            return;
        }
        var routes = ClientDataPath.RoutesFor(result.SplitNetworks, child);
        var error = _dataPath.Configure(vip, routes);
        Say(error is null
            ? $"{_dataPath.DeviceName}: {vip}/32, routes {string.Join(' ', routes)}"
            : $"{_dataPath.DeviceName}: {error}");
    }

    /// <summary>Connects and stays connected until cancelled; then deletes the tunnel.</summary>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var backoff = TimeSpan.FromSeconds(1);
        var everConnected = false;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                IkeInitiateResult result;
                try
                {
                    result = await ConnectOnceAsync(ct).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is EmsEnrollmentException or HttpRequestException or TaskCanceledException or SocketException or IOException)
                {
                    if (ct.IsCancellationRequested)
                        break;
                    // A pinned certificate that does not match, an EMS that refuses us: retrying cannot help.
                    var failure = _s.Ems is { } ems ? ClientFailure.FromEms(ex, ems) : null;
                    if (failure is { Permanent: true })
                    {
                        _lastError = failure.Message;
                        SetState("failed");
                        throw failure;
                    }
                    _lastError = failure?.Message ?? ex.Message;
                    SetState("failed");
                    Say($"error: {_lastError}; transient, retrying");
                    result = IkeInitiateResult.Failed(ex.Message);
                }
                if (result.Success)
                {
                    everConnected = true;
                    backoff = TimeSpan.FromSeconds(1);
                    await StayConnectedAsync(ct).ConfigureAwait(false);
                    if (ct.IsCancellationRequested)
                        break;
                }
                // A device refused for what it lacks stays refused until someone acts: say so and stop. A revoked
                // tunnel is tried again first: the answer to that says what holds now (a revoked certificate, a tag).
                if (!result.Success && _gatewayReason is { } why && IsPermanent(why.Code))
                {
                    Say($"not reconnecting: the gateway's reason does not pass by waiting ({PostureReasonBody.WireName(why.Code)})");
                    return ClientExitCodes.PostureRefused;
                }
                // RFC 7296 §2.15: a gateway whose certificate we do not trust is not the gateway; asking again cannot change that.
                if (!result.Success && result.PeerCertificateRejected)
                {
                    Say("not reconnecting: the gateway's certificate is not trusted (--gateway-ca) or does not name the gateway dialled");
                    return ClientExitCodes.GatewayUntrusted;
                }
                if (!_s.Reconnect)
                    return _gatewayReason is not null ? ClientExitCodes.PostureRefused : result.Success ? 0 : 1;
                SetState("waiting");
                Say($"reconnecting in {backoff.TotalSeconds:0} s");
                try
                {
                    await Task.Delay(backoff, _time, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(60).Ticks));
            }
        }
        finally
        {
            await DisconnectAsync().ConfigureAwait(false);
        }
        return everConnected ? 0 : 1;
    }

    private async Task StayConnectedAsync(CancellationToken ct)
    {
        // One wait for the loss across every refresh: a WaitAsync per round left the earlier, still pending
        // waits behind, and the first of them took the release, so a tunnel lost after the first refresh
        // (DPD finding the gateway dead) was never noticed and the client never reconnected.
        var lost = _lost.WaitAsync(ct);
        while (!ct.IsCancellationRequested)
        {
            var wait = NextRefresh();
            var tick = Task.Delay(wait, _time, ct);
            try
            {
                if (await Task.WhenAny(lost, tick).ConfigureAwait(false) == lost)
                {
                    await lost.ConfigureAwait(false);
                    _result = null;
                    _connectedSince = null;
                    _gatewayReason = Interlocked.Exchange(ref _revocation, null);
                    if (_gatewayReason is { } why)
                        _lastError = $"the gateway deleted the tunnel: {why.Text}";
                    SetState("disconnected");
                    Say(_gatewayReason is { } said ? $"the gateway deleted the tunnel: {said.Text}" : "the gateway deleted the tunnel");
                    return;
                }
                await tick.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            await RefreshAsync(ct).ConfigureAwait(false);
        }
    }

    // Refused for what only the administrator or the EMS can change (a tag, the EMS registration); an EMS
    // that was slow, an expired token, or a reason this client does not know may pass, so those retry.
    private static bool IsPermanent(PostureReasonCode code) =>
        code is PostureReasonCode.TagMissing or PostureReasonCode.NoEndpointId or PostureReasonCode.EmsSerial;

    // POSTURE_REASON among a response's notifies (a malformed one is ignored: it only ever adds words).
    private static PostureReason? ReasonOf(IEnumerable<ReceivedNotify> notifies)
    {
        foreach (var n in notifies)
        {
            if (n.Type == PrivateNotifies.PostureReason && PostureReasonBody.TryParse(n.Data, out var reason))
                return reason;
        }
        return null;
    }

    private TimeSpan NextRefresh()
    {
        var now = _time.GetUtcNow();
        var dueToken = _token is null ? TimeSpan.FromSeconds(60) : _token.RefreshAt - now;
        var facts = TimeSpan.FromSeconds(60);
        var next = dueToken < facts ? dueToken : facts;
        return next < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : next;
    }

    /// <summary>Re-reports facts; re-fetches the token when due or when the tags changed, and sends it in an INFORMATIONAL.</summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        if (_ems is null || _facts is null)
            return;
        try
        {
            await RenewIfDueAsync(ct).ConfigureAwait(false);
            var tags = await _ems.ReportAsync(_facts, ct).ConfigureAwait(false);
            var changed = !tags.SequenceEqual(_tags);
            _tags = tags;
            // A token given on the command line stands for the EMS's: no other is ever sent.
            if (_s.TokenOverride is null && _s.SendToken && _registration?.TokenEnabled == true && (changed || _token is null || _time.GetUtcNow() >= _token.RefreshAt))
            {
                _token = await _ems.FetchTokenAsync(_facts.Uid, _s.Tunnel, _s.DeviceCertificate, ct).ConfigureAwait(false);
                if (_token is not null && _result?.Instance is { } instance)
                {
                    var sent = await _ike!.SendInformationalAsync(instance, [new NotifyToSend(PrivateNotifies.ZtnaTag, Encoding.ASCII.GetBytes(_token.Token))]).ConfigureAwait(false);
                    Say($"tags {(changed ? "changed" : "refreshed")}: {string.Join(' ', tags)}; token sent to the gateway{(sent ? "" : " (no answer)")}");
                }
            }
            WriteStatus();
        }
        catch (Exception ex) when (ex is EmsEnrollmentException or HttpRequestException or TaskCanceledException)
        {
            Say($"EMS unreachable: {ex.Message}");
        }
    }

    public async Task DisconnectAsync()
    {
        if (_ike is not null && _result?.Instance is { } instance)
        {
            var deleted = _ike.DeleteAsync(instance, "client disconnect");
            await Task.WhenAny(deleted, Task.Delay(TimeSpan.FromSeconds(3))).ConfigureAwait(false);
            Say("disconnected");
        }
        _result = null;
        SetState("stopped");
    }

    /// <summary>Registers with the EMS (reporting the facts) and fetches the token, without connecting.</summary>
    public async Task EnrollAsync(CancellationToken ct)
    {
        if (_s.Ems is null)
            throw new InvalidOperationException("no EMS configured");
        _facts ??= LoadFacts();
        try
        {
            _device ??= DeviceCredentials.Open(_s.DeviceDirectory ?? DeviceCredentials.DefaultDirectory, _facts.Uid);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new EmsEnrollmentException($"device key: {ex.Message}");
        }
        // 30 s per request: an enrollment is one CSR signed and one durable write on the EMS, which a
        // busy EMS (a registration storm, a slow disk) can hold for longer than a user would guess.
        _ems ??= new EmsEnrollment(_s.Ems!, _s.EmsFingerprint, TimeSpan.FromSeconds(30), _device);
        if (!_device.IsValid(_time.GetUtcNow()))
        {
            await _ems.EnrollAsync(_device, _s.InviteCode, ct).ConfigureAwait(false);
            Say($"enrolled as {_device.Uid}: certificate {_device.Certificate!.SerialNumber} until {_device.Certificate.NotAfter.ToUniversalTime():u} ({_device.CertificatePath})");
        }
        await RenewIfDueAsync(ct).ConfigureAwait(false);
        _registration = await _ems.RegisterAsync(_facts, ct).ConfigureAwait(false);
        _tags = _registration.Tags;
        Say($"registered with EMS {_registration.EmsSerial} as {_facts.Uid}; tags: {(_tags.Count == 0 ? "(none)" : string.Join(' ', _tags))}");
        _token = _s.SendToken && _registration.TokenEnabled ? await _ems.FetchTokenAsync(_facts.Uid, _s.Tunnel, _s.DeviceCertificate, ct).ConfigureAwait(false) : null;
        if (_token is not null)
            Say($"ZTNA token {_token.Kid}, expires {_token.ExpiresAt:u}");
    }

    /// <summary>
    /// --device-cert: the certificate the EMS issued this device, with its key, for the first authentication round
    /// (RFC 4739). Without one (never enrolled, or expired) the client stops: the gateway would only refuse it.
    /// Nothing is created when the certificate is missing — not even the key.
    /// </summary>
    private PostureGate.Ike.Auth.LocalCertificateCredential DeviceCertificate()
    {
        var directory = _s.DeviceDirectory ?? DeviceCredentials.DefaultDirectory;
        var uid = _facts!.Uid;
        var enroll = $"enroll first: `pgate client enroll --ems URL --ems-fingerprint FP --invite-file FILE --uid {uid} --device-dir {directory}`, or connect with --ems";
        if (_device is null)
        {
            if (!File.Exists(Path.Combine(directory, uid + ".crt")))
                throw new ClientFailure(ClientExitCodes.NoDeviceCertificate, $"--device-cert: no enrolled certificate for {uid} in {directory}; {enroll}", true);
            try
            {
                _device = DeviceCredentials.Open(directory, uid);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or EmsEnrollmentException
                or System.Security.Cryptography.CryptographicException)
            {
                throw new ClientFailure(ClientExitCodes.NoDeviceCertificate, $"--device-cert: the device certificate in {directory} cannot be used: {ex.Message}", true);
            }
        }
        if (!_device.IsValid(_time.GetUtcNow()))
            throw new ClientFailure(ClientExitCodes.NoDeviceCertificate,
                $"--device-cert: {(_device.Certificate is null ? "no enrolled certificate" : "the certificate has expired or is not yet valid")} for {uid} in {directory}; {enroll}", true);
        return new PostureGate.Ike.Auth.LocalCertificateCredential(_device.Certificate!);
    }

    /// <summary>Renews the device certificate once two thirds of its lifetime are gone.</summary>
    private async Task RenewIfDueAsync(CancellationToken ct)
    {
        if (_ems is null || _device is null || !_device.NeedsRenewal(_time.GetUtcNow()) || !_device.IsValid(_time.GetUtcNow()))
            return;
        await _ems.RenewAsync(_device, ct).ConfigureAwait(false);
        Say($"device certificate renewed: {_device.Certificate!.SerialNumber} until {_device.Certificate.NotAfter.ToUniversalTime():u}");
    }

    // The IKE layer reports an error notify by number; ours have FortiOS names.
    private static string Describe(string error) =>
        ushort.TryParse(error, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var type) && PrivateNotifies.NameOf(type) is { } name
            ? $"{name} ({type})" : error;

    private string? TokenToSend() => _s.TokenOverride ?? (_s.SendToken ? _token?.Token : null);

    private MachineFacts LoadFacts()
    {
        var ip = _s.ReportedIp ?? SourceAddressToward(_s.Gateway.Address);
        return _s.FactsFile is { } f ? MachineFacts.FromFile(f, _s.Uid, ip) : MachineFacts.FromMachine(_s.Uid, ip);
    }

    /// <summary>
    /// IDi: --local-id, else ID_IPV4_ADDR of the IKE socket's address (the source toward the gateway when it is
    /// bound to the wildcard), as FortiClient sends it ("peer identifier IPV4_ADDR 172.16.200.242" in the seed).
    /// </summary>
    private IkeIdentity OwnIdentity()
    {
        if (_s.LocalId is { } id)
            return IkeIdentity.FromString(id);
        var bound = _transport!.IkeLocal.Address;
        var own = bound.Equals(IPAddress.Any) || bound.Equals(IPAddress.IPv6Any) ? SourceAddressToward(_s.Gateway.Address) : bound;
        // Without a route there is no connection either; the user name keeps the request well-formed.
        return own is null ? IkeIdentity.FromString(_s.User) : IkeIdentity.FromAddress(own);
    }

    /// <summary>The local address the kernel would use toward the gateway (a connected UDP socket sends nothing).</summary>
    private static IPAddress? SourceAddressToward(IPAddress gateway)
    {
        try
        {
            using var s = new Socket(gateway.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            s.Connect(new IPEndPoint(gateway, 9));
            return ((IPEndPoint)s.LocalEndPoint!).Address;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    private Task EnsureTransportAsync()
    {
        if (_transport is not null)
            return Task.CompletedTask;
        IChildSaInstaller installer = Installer;
        if (_s.TunDevice is { } device)
        {
            _dataPath = ClientDataPath.Open(device, _s.LocalAddress, _s.DataPlane);
            // The data plane is the kernel: one tunnel for everything the routes send into the device. Its
            // traffic is reported every second: on-demand DPD (RFC 7296 §2.4) probes only when we sent and
            // heard nothing back, so without the reports a dead gateway was never noticed.
            installer = new EspChildSaInstaller(_dataPath.DataPlane, new EspChildSaInstallerOptions
            {
                OneTunnelForEverything = true,
                ActivityPoll = TimeSpan.FromSeconds(1),
                Time = _time,
            });
        }
        _transport = new ClientTransport(_s.LocalAddress, _s.NatTPort, _dataPath);
        _ike = new IkeSaManager([], _transport, installer, new IkeSaManagerOptions
        {
            Time = _time,
            Debug = Debug,
            NatTPort = _s.NatTPort,
            RekeyJitter = 0.05,
        });
        installer.Attach(_ike.ChildSaEvents);
        // The gateway says why before it deletes a revoked tunnel (INFORMATIONAL with POSTURE_REASON).
        _ike.InformationalNotifies += (instance, notifies) =>
        {
            if (_result?.Instance == instance && ReasonOf(notifies) is { } reason)
                Volatile.Write(ref _revocation, reason);
        };
        _ike.IkeSaDeleted += e =>
        {
            if (_result?.Instance == e.Instance)
                _lost.Release();
        };
        _transport.Start(_ike);
        return Task.CompletedTask;
    }

    private void SetState(string state)
    {
        _state = state;
        WriteStatus();
    }

    private void WriteStatus()
    {
        if (_s.StatusFile is not { } path)
            return;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var tmp = path + ".tmp";
            File.WriteAllText(tmp, JsonSerializer.Serialize(Status, new JsonSerializerOptions { WriteIndented = true }));
            File.Move(tmp, path, overwrite: true);
        }
        catch (IOException)
        {
        }
    }

    private void Say(string line)
    {
        lock (_out)
        {
            _out.WriteLine(_s.JsonLogs ? JsonLine(_time.GetLocalNow(), line) : $"{_time.GetLocalNow():HH:mm:ss} {line}");
            _out.Flush();
        }
    }

    // The fields of Microsoft.Extensions.Logging's JSON console formatter, which `pgate gateway|ems --log-format json` write.
    internal static string JsonLine(DateTimeOffset now, string message)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("Timestamp", now.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteNumber("EventId", 0);
            w.WriteString("LogLevel", "Information");
            w.WriteString("Category", "PostureGate.Client");
            w.WriteString("Message", message);
            w.WriteStartObject("State");
            w.WriteString("Message", message);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public async ValueTask DisposeAsync()
    {
        _ike?.Dispose();
        if (_transport is not null)
            await _transport.DisposeAsync().ConfigureAwait(false);
        _dataPath?.Dispose();
        _ems?.Dispose();
        _device?.Dispose();
    }
}
