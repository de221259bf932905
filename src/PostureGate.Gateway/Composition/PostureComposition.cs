// The posture gate joined to the gateway: one EMS connector per enabled
// `endpoint-control fctems` entry, the gatekeeper behind the IKE layer's two
// hooks (remote-gw-match before authentication, ZTNA tags after it), continuous
// enforcement (a revoked tag, or an EMS lost past out-of-sync-threshold with no valid token to
// stand in, deletes the tunnel; so does a device certificate the EMS revokes, which IKE_AUTH
// refuses from then on), ZTNA_TAG tokens that arrive in INFORMATIONAL exchanges, and
// the posture diagnose commands.
using System.Buffers.Binary;
using System.Net;
using Microsoft.Extensions.Logging;
using PostureGate.Admission;
using PostureGate.Config.Model;
using PostureGate.Gateway.Firewall;
using PostureGate.Ike.Config;
using PostureGate.Ike.Sa;
using PostureGate.Posture;

namespace PostureGate.Gateway.Composition;

public sealed class PostureComposition : IPostAuthenticationHook, IGatewayMatchHook, IAsyncDisposable
{
    private readonly ILogger _log;
    private readonly List<EmsConnector> _connectors = [];
    private readonly TimeProvider _time;
    private GatewayConfig _config;
    private GatewayHost? _host;
    private readonly PostureMetrics _metrics = new();
    private readonly EmsConnectorMetrics _connectorMetrics;

    /// <param name="connectorOverride">Adjusts each connector's settings (`pgate up` points them at its embedded EMS).</param>
    /// <param name="decisionBudget">How long the EMS may take for one decision before the token decides (default 10 s).</param>
    /// <summary>What an enabled fctems with a server lacks to connect (the EMS's pinned
    /// certificate and the key it answers), named so the admin knows what to set; null when nothing.</summary>
    internal static string? MissingToConnect(FctEms ems) => (ems.CertificateFingerprint is null, ems.ApiKey is null) switch
    {
        (true, true) => "no certificate-fingerprint and no api-key set (`pgate ems` prints both at its first start)",
        (true, false) => "no certificate-fingerprint set (`pgate ems` prints it: certificate fingerprint (SHA-256))",
        (false, true) => "no api-key set (`pgate ems apikey` prints the gateway API key)",
        _ => null,
    };

    public PostureComposition(GatewayConfig config, ILoggerFactory loggers, TimeProvider time, CountryDatabase? countries = null,
        Func<FctEms, EmsConnectorSettings?>? connectorOverride = null, TimeSpan? decisionBudget = null)
    {
        _config = config;
        _time = time;
        _log = loggers.CreateLogger("PostureGate.Posture");
        Store = new TagStore();
        Keys = new PinnedKeyStore();
        foreach (var ems in config.FctEms.Where(e => e.Enabled))
        {
            if (connectorOverride?.Invoke(ems) is { } overridden)
            {
                _connectors.Add(new EmsConnector(overridden, Store.For(ems.Id), Keys, time: time, logger: loggers.CreateLogger("PostureGate.Ems.Connector")));
                continue;
            }
            if (ems.Server is not { Length: > 0 })
                continue;
            if (MissingToConnect(ems) is { } missing)
            {
                _log.LogWarning("fctems {Id}: {Missing}; connector not started", ems.Id, missing);
                continue;
            }
            _connectors.Add(new EmsConnector(new EmsConnectorSettings
            {
                Id = ems.Id,
                Name = ems.Name ?? $"ems{ems.Id}",
                Server = ems.Server!,
                Port = ems.HttpsPort,
                SerialNumber = ems.SerialNumber,
                TenantId = ems.TenantId,
                CertificateFingerprint = ems.CertificateFingerprint!,
                ApiKey = System.Text.Encoding.UTF8.GetString(ems.ApiKey!.Utf8),
                CallTimeout = ems.CallTimeout,
                OutOfSyncThreshold = ems.OutOfSyncThreshold,
                PullTags = ems.PullTags,
            }, Store.For(ems.Id), Keys, time: time, logger: loggers.CreateLogger("PostureGate.Ems.Connector")));
        }
        // The meters count what the audit lines say (exported with --metrics).
        Gate = new PostureGateKeeper(Store, _connectors, new ZtnaTokenVerifier(Keys, time: time), new GatewayMatcher(countries), _metrics, loggers, time, decisionBudget: decisionBudget);
        _connectorMetrics = new EmsConnectorMetrics(() => _connectors, time);
        Gate.TunnelRevoked += _metrics.Revoked;
        foreach (var p1 in config.Phase1Interfaces)
            Gate.ConfigureTunnel(p1.Name, MatchOf(p1));
        Gate.TunnelRevoked += OnRevoked;
        Revocations = new EmsCertificateRevocations(_connectors);
        foreach (var c in _connectors)
            c.CertificatesRevoked += OnCertificatesRevoked;
    }

    /// <summary>The device certificates the EMSes revoked: the IKE layer refuses them (GatewayHostOptions.Revocations).</summary>
    public EmsCertificateRevocations Revocations { get; }

    public TagStore Store { get; }

    public PinnedKeyStore Keys { get; }

    public PostureGateKeeper Gate { get; }

    public IReadOnlyList<EmsConnector> Connectors => _connectors;

    public void Start()
    {
        foreach (var c in _connectors)
            c.Start();
    }

    /// <summary>Joins a started gateway: deletions, token updates, diagnose commands.</summary>
    public void Attach(GatewayHost host)
    {
        _host = host;
        host.Ike.IkeSaDeleted += e => Gate.TunnelClosed(e.Instance);
        host.Ike.InformationalNotifies += OnInformational;
        RegisterDiagnose(host);
    }

    public void Reload(GatewayConfig config)
    {
        _config = config;
        foreach (var p1 in config.Phase1Interfaces)
            Gate.ConfigureTunnel(p1.Name, MatchOf(p1));
    }

    /// <summary>A dynamic `ems-tag` address as the firewall matches it: live membership in the tag store.</summary>
    public IAddressMatcher? DynamicAddress(FirewallAddress address) =>
        DynamicAddressName.TryParse(address.Name, out var name) ? new TagMatcher(Store, name) : null;

    private sealed class TagMatcher(TagStore store, DynamicAddressName name) : IAddressMatcher
    {
        public bool Contains(uint address) => store.Resolves(name, address);
    }

    // IGatewayMatchHook: remote-gw-match ipmask / iprange / geography, before authentication.
    public bool Validate(string peerConfigName, IPEndPoint peer, out string? reason)
    {
        reason = null;
        var p1 = _config.Phase1Interfaces.Find(peerConfigName);
        if (p1 is null || p1.RemoteGwMatch is RemoteGwMatchMode.Any or RemoteGwMatchMode.Ztna)
            return true;
        void Debug(string line) => _host?.Debug.Write("ike", $"ike V=root:0:{peerConfigName}: {line}");
        return Gate.ValidateGateway(peerConfigName, MatchOf(p1), peer, Debug, out reason);
    }

    // IPostAuthenticationHook: the ZTNA tag check of remote-gw-match ztna.
    public async ValueTask<PostAuthenticationDecision> OnAuthenticatedAsync(PostAuthenticationContext context, CancellationToken cancellationToken)
    {
        var p1 = _config.Phase1Interfaces.Find(context.PeerConfigName);
        if (p1 is null || p1.RemoteGwMatch != RemoteGwMatchMode.Ztna)
            return PostAuthenticationDecision.Allowed;
        var request = new PostureRequest
        {
            Tunnel = context.PeerConfigName,
            Instance = context.InstanceName,
            Match = MatchOf(p1),
            Peer = context.PeerEndpoint,
            IkeIdAddress = context.PeerIdentity.Type == PostureGate.Ike.Messages.Payloads.IdType.Ipv4Address && context.PeerIdentity.Data.Length == 4
                ? new IPAddress(context.PeerIdentity.Data) : null,
            EapUser = context.EapIdentity,
            FortiClientConnect = NotifyData(context, PrivateNotifies.FortiClientConnect),
            DeviceCertificateUid = context.DeviceCertificateUid,
            ProvenCertificateSha256 = context.PeerCertificateSha256,
            ZtnaToken = NotifyData(context, PrivateNotifies.ZtnaTag),
            Debug = context.Debug,
            TunnelDebug = context.TunnelDebug,
        };
        PostureDecision decision;
        try
        {
            decision = await Gate.EvaluateAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The IKE SA went away, or its deadline (budget + 5 s) passed: the gate's own budget
            // normally decides long before.
            return new PostAuthenticationDecision.Deny(PrivateNotifies.ZtnaTagsCheckFailure, [], "posture decision abandoned: the IKE SA went away or its deadline passed");
        }
        if (decision.Uid is { } uid)
            context.SetFortiClientUid?.Invoke(uid);
        return decision switch
        {
            PostureDecision.Allow a => new PostAuthenticationDecision.Allow(a.Notifies.Select(n => new NotifyToSend(n.Type, n.Data)).ToArray()),
            // FortiOS's words for a refused tag check (the seed's Example 1); other refusals print their reason.
            PostureDecision.Deny d when d.NotifyType == PrivateNotifies.ZtnaTagsCheckFailure => new PostAuthenticationDecision.Deny(d.NotifyType, d.NotifyData, d.Reason)
            {
                Error = "EMS ZTNA tags check failed",
                Sending = ["sending IKE_AUTH ZTNA TAGS check failure notification response"],
                StatusNotifies = ReasonNotifies(d.UserReason),
            },
            PostureDecision.Deny d => new PostAuthenticationDecision.Deny(d.NotifyType, d.NotifyData, d.Reason) { StatusNotifies = ReasonNotifies(d.UserReason) },
            _ => PostAuthenticationDecision.Allowed,
        };
    }

    // POSTURE_REASON beside the refusal: the hook runs only once the peer authenticated.
    private static NotifyToSend[] ReasonNotifies(PostureReason? reason) =>
        reason is null ? [] : [new NotifyToSend(PrivateNotifies.PostureReason, PostureReasonBody.Encode(reason))];

    // Explicitly nullable: a null byte[] would convert to an empty (non-null) memory, and the gate
    // would then see an empty notify where the client sent none (strongSwan sends none).
    private static ReadOnlyMemory<byte>? NotifyData(PostAuthenticationContext context, ushort type) =>
        context.Notifies.FirstOrDefault(n => n.Type == type) is { } n ? new ReadOnlyMemory<byte>(n.Data) : (ReadOnlyMemory<byte>?)null;

    private void OnInformational(string instance, IReadOnlyList<ReceivedNotify> notifies)
    {
        foreach (var n in notifies.Where(n => n.Type == PrivateNotifies.ZtnaTag))
        {
            var debug = (string line) => _host?.Debug.Write("ike", $"ike V=root:0:{instance}: {line}");
            debug("processing notify type ZTNA_TAG");
            _ = Gate.OnTokenUpdateAsync(instance, n.Data, debug);
        }
    }

    private void OnRevoked(TunnelRevoked r)
    {
        _log.LogWarning("posture: revoking {Instance} (uid {Uid}): {Reason}", r.Instance, r.Uid, r.Reason);
        var host = _host;
        if (host is null)
            return;
        // The reason first (an INFORMATIONAL with POSTURE_REASON, so the user learns why), then a Delete
        // exchange; a peer that answers neither loses the SA anyway.
        _ = Task.Run(async () =>
        {
            host.Debug.Write("ike", $"ike V=root:0:{r.Instance}: posture revoked: {r.Reason}, deleting tunnel");
            if (ReasonNotifies(r.UserReason) is { Length: > 0 } reason)
            {
                var told = host.Ike.SendInformationalAsync(r.Instance, reason);
                await Task.WhenAny(told, Task.Delay(TimeSpan.FromMilliseconds(300))).ConfigureAwait(false);
            }
            var deleted = host.Ike.DeleteAsync(r.Instance, r.Reason);
            if (await Task.WhenAny(deleted, Task.Delay(TimeSpan.FromMilliseconds(500))).ConfigureAwait(false) != deleted)
                host.Ike.Clear(r.Instance);
        });
    }

    // A pushed revocation (or a snapshot naming new ones): every live IKE SA authenticated with such a
    // certificate goes, with an audit line, whatever admitted it (remote-gw-match any too).
    private void OnCertificatesRevoked(EmsConnector connector, IReadOnlyList<RevokedCertificate> revoked)
    {
        if (_host is not { } host)
            return;
        var trigger = $"EMS{connector.Settings.Id} revoked {revoked.Count} device certificate(s)";
        // On the connector's loop: a failure here must not end its stream (a resync would not report these again).
        try
        {
            foreach (var (instance, phase1, serial) in host.Ike.InstancesWithRevokedCertificates(Revocations))
                Gate.CertificateRevoked(phase1, instance, connector.Revocations.UidOf(serial), serial, trigger);
        }
        catch (Exception e)
        {
            _log.LogError(e, "{Trigger}: deleting the tunnels of the revoked certificates failed", trigger);
        }
    }

    private void RegisterDiagnose(GatewayHost host)
    {
        host.Diagnose.Add("firewall dynamic list", "[NAME]", async inv =>
        {
            var list = DynamicListFormatter.Select(Store, inv.Args.Count > 0 ? inv.Args[0] : null);
            await inv.Output.WriteAsync(inv.Json ? DynamicListFormatter.FormatJson(list) + "\n" : DynamicListFormatter.Format(list)).ConfigureAwait(false);
            return 0;
        });
        host.Diagnose.Add("endpoint ec-shm list", "", async inv =>
        {
            await inv.Output.WriteAsync(inv.Json ? EcShmListFormatter.FormatJson(Store) + "\n" : EcShmListFormatter.Format(Store)).ConfigureAwait(false);
            return 0;
        });
        host.Diagnose.Add("endpoint fctems status", "", async inv =>
        {
            var status = FctemsStatusFormatter.Describe(_connectors, Keys, _time);
            await inv.Output.WriteAsync(inv.Json ? FctemsStatusFormatter.FormatJson(status) + "\n" : FctemsStatusFormatter.Format(status, _time)).ConfigureAwait(false);
            return 0;
        });
        host.Diagnose.Add("posture explain", "IP|UID [TUNNEL]", async inv =>
        {
            if (inv.Args.Count == 0)
            {
                await inv.Output.WriteLineAsync("usage: diagnose posture explain IP|UID [TUNNEL]").ConfigureAwait(false);
                return 2;
            }
            var e = Gate.Explain(inv.Args[0], inv.Args.Count > 1 ? inv.Args[1] : null);
            await inv.Output.WriteAsync(inv.Json ? System.Text.Json.JsonSerializer.Serialize(e, new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n" : e.ToText()).ConfigureAwait(false);
            return 0;
        });
    }

    /// <summary>The phase1's remote-gw-match settings in the gate's terms.</summary>
    public static RemoteGwMatch MatchOf(Phase1Interface p1) => new()
    {
        Mode = p1.RemoteGwMatch,
        Subnet = p1.RemoteGwSubnet?.Network,
        SubnetPrefixLength = p1.RemoteGwSubnet?.PrefixLength ?? 0,
        RangeStart = p1.RemoteGwStartIp,
        RangeEnd = p1.RemoteGwEndIp,
        Country = p1.RemoteGwCountry,
        ZtnaTags = p1.RemoteGwZtnaTags.Select(t => t.Name).ToArray(),
        EmsSnCheck = p1.EmsSnCheck,
        RequireProvenUid = p1.ZtnaUidProof,
        RequireTokenBinding = p1.ZtnaTokenBinding,
    };

    public async ValueTask DisposeAsync()
    {
        foreach (var c in _connectors)
            c.CertificatesRevoked -= OnCertificatesRevoked;
        Gate.TunnelRevoked -= OnRevoked;
        Gate.TunnelRevoked -= _metrics.Revoked;
        Gate.Dispose();
        _metrics.Dispose();
        _connectorMetrics.Dispose();
        foreach (var c in _connectors)
            await c.DisposeAsync().ConfigureAwait(false);
    }
}
