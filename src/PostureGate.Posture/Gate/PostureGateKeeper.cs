// The posture gate between authentication and the CHILD_SA (FortiOS: "authentication
// succeeded" → "EMS SN check passed" → "EMS ZTNA tags check success …" → "responder creating
// new child"). Observed behaviour it follows (seed: FortiOS "Enforcing security posture
// verification before dial-up VPN connection"):
//   0. remote-gw-match ztna needs the endpoint's UID (FORTICLIENT_CONNECT): none, no tunnel —
//      never a match by IKE ID or source address (issue 10 finding 2);
//   1. ems-sn-check: the client's EMSSN must be one of our connectors' serials;
//   2. remote-gw-ztna-tags are tried in order until the EMS holds one for that UID (at the
//      address the endpoint reports);
//   3. the EMS decides first — its synced cache, or a live lookup bounded by call-timeout and by
//      the decision budget (10 s), so that a client has its answer well inside its retransmission
//      patience whatever call-timeout says (seed: the token serves when the EMS is "unreachable
//      or slow"); an answer past the budget is dropped, it changes nothing;
//   4. only where the EMS could not answer, a valid JWT from the client (FCTTAGS=1) decides —
//      a token bound to a device certificate (RFC 7800 cnf) only if this IKE SA proved it;
//      without one the client is refused at once, the reason naming the EMS;
//   5. admitted tunnels stay under watch: an EMS change or a newer token re-evaluates them,
//      and TunnelRevoked names those no longer allowed.
// Nothing from the peer throws: a bad notify or token is a named reason in the decision.
using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PostureGate.Admission;

namespace PostureGate.Posture;

public sealed partial class PostureGateKeeper : IDisposable
{
    public const string AuditCategory = "PostureGate.Audit";
    /// <summary>RFC 7296 §3.10.1 AUTHENTICATION_FAILED: the answer to a failed EMS SN check.</summary>
    public const ushort AuthenticationFailed = 24;

    /// <summary>How long the EMS may take to answer one decision before the token decides.</summary>
    public static readonly TimeSpan DefaultDecisionBudget = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The most a budget may be: the IKE layer's deadline is the budget plus 5 s, and a client
    /// must have its answer within 20 s (strongSwan's fourth retransmission is at 24 s).
    /// </summary>
    public static readonly TimeSpan MaxDecisionBudget = TimeSpan.FromSeconds(14);

    private readonly TagStore _store;
    private readonly IReadOnlyDictionary<int, EmsConnector> _connectors;
    private readonly ZtnaTokenVerifier _verifier;
    private readonly GatewayMatcher _matcher;
    private readonly IAuditSink? _sink;
    private readonly ILogger _audit;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly TimeSpan _budget;
    private readonly LiveTunnelTable _tunnels = new();
    private readonly ConcurrentDictionary<string, RemoteGwMatch> _settings = new(StringComparer.Ordinal);
    private readonly ITimer? _sweep;

    public PostureGateKeeper(
        TagStore store,
        IEnumerable<EmsConnector> connectors,
        ZtnaTokenVerifier verifier,
        GatewayMatcher? matcher = null,
        IAuditSink? auditSink = null,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? time = null,
        TimeSpan? tokenSweepInterval = null,
        TimeSpan? decisionBudget = null)
    {
        _store = store;
        _connectors = connectors.ToDictionary(c => c.Settings.Id);
        _verifier = verifier;
        _matcher = matcher ?? new GatewayMatcher();
        _sink = auditSink;
        loggerFactory ??= NullLoggerFactory.Instance;
        _audit = loggerFactory.CreateLogger(AuditCategory);
        _log = loggerFactory.CreateLogger<PostureGateKeeper>();
        _time = time ?? TimeProvider.System;
        _budget = decisionBudget ?? DefaultDecisionBudget;
        if (_budget <= TimeSpan.Zero || _budget > MaxDecisionBudget)
            throw new ArgumentOutOfRangeException(nameof(decisionBudget), _budget, $"the posture decision budget must be within (0, {MaxDecisionBudget.TotalSeconds:0} s]");
        _store.Changed += OnStoreChanged;
        foreach (var connector in _connectors.Values)
        {
            connector.OutOfSync += OnConnectorOutOfSync;
            connector.BackInSync += OnConnectorBackInSync;
        }
        // Token-admitted tunnels are re-checked as their tokens expire (the client should send a
        // fresh one before; if it doesn't, and the EMS still can't vouch, the tunnel goes).
        var sweep = tokenSweepInterval ?? TimeSpan.FromSeconds(30);
        if (sweep > TimeSpan.Zero && sweep != Timeout.InfiniteTimeSpan)
            _sweep = _time.CreateTimer(_ => SweepTokens(), null, sweep, sweep);
    }

    /// <summary>Raised (synchronously, on the thread that applied the change) for each tunnel no longer allowed.</summary>
    public event Action<TunnelRevoked>? TunnelRevoked;

    public IReadOnlyCollection<EmsConnector> Connectors => [.. _connectors.Values.OrderBy(c => c.Settings.Id)];

    public IReadOnlyList<LiveTunnel> LiveTunnels => _tunnels.All();

    /// <summary>Makes a phase1's settings known to <see cref="Explain"/> before any client connects.</summary>
    public void ConfigureTunnel(string tunnel, RemoteGwMatch match) => _settings[tunnel] = match;

    /// <summary>
    /// The IKE SA of this instance is gone: stop watching it. Under the lock Admit takes, so a
    /// decision admitted just before its SA went is removed here, and one that comes later sees
    /// its cancelled token and admits nothing (the IKE layer frees the name only after this).
    /// </summary>
    public void TunnelClosed(string instance)
    {
        lock (_enforce)
            _tunnels.Remove(instance);
    }

    /// <summary>IGatewayMatchHook's shape: the settings come from <see cref="ConfigureTunnel"/> (unknown tunnel: any).</summary>
    public bool ValidateGateway(string tunnel, IPEndPoint peer, out string? reason) =>
        ValidateGateway(tunnel, _settings.GetValueOrDefault(tunnel, RemoteGwMatch.Any), peer, null, out reason);

    /// <summary>Pre-authentication remote-gw-match check of the peer's public address.</summary>
    public bool ValidateGateway(string tunnel, RemoteGwMatch match, IPEndPoint peer, Action<string>? debug, out string? reason)
    {
        debug?.Invoke("re-validate gw ID");
        if (_matcher.Validate(match, peer.Address, out reason))
        {
            debug?.Invoke("gw validation OK");
            return true;
        }
        debug?.Invoke($"gw validation failed: {reason}");
        Audit(new PostureAuditRecord
        {
            Time = _time.GetUtcNow(), Event = "gw-match", Tunnel = tunnel, Instance = tunnel, Peer = peer.ToString(),
            Outcome = "deny", Reason = reason,
        });
        return false;
    }

    /// <summary>
    /// Decides one IKE SA after its authentication. <paramref name="cancellationToken"/> is the
    /// SA's: cancelled when the SA goes (or its deadline passes) — then nothing is admitted.
    /// </summary>
    public async Task<PostureDecision> EvaluateAsync(PostureRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        _settings[request.Tunnel] = request.Match;
        var debug = new DebugLines(request.Debug);
        var match = request.Match;

        FortiClientConnectInfo? info = null;
        string? notifyError = null;
        // What the notify says is logged by the IKE layer as it processes it (NotifyDebugText).
        if (request.FortiClientConnect is { } body && !FortiClientConnectBody.TryParse(body.Span, out info, out var parseError))
            notifyError = parseError.ToString();
        // Both sources, when present, must name the same endpoint (issue 10 "The gate").
        var claims = new List<UidClaim>(2);
        if (request.DeviceCertificateUid is { } proven)
            claims.Add(new UidClaim(proven, UidSource.DeviceCertificate));
        if (info is not null)
            claims.Add(new UidClaim(info.Uid, UidSource.FortiClientConnect));
        var identity = EndpointIdentity.From(request, claims, info?.Ip, out var uidConflict);

        // remote-gw-match ztna judges an endpoint by its UID only (issue 10 finding 2): no UID, no tunnel.
        if (match.Mode == RemoteGwMatchMode.Ztna && identity.Uid is null)
        {
            var why = uidConflict ?? EndpointIdentity.MissingUid(request.FortiClientConnect is not null, notifyError);
            debug.Add(why);
            debug.Add("EMS ZTNA tags check failure, abort");
            return Finish(request, identity, [],
                new PostureDecision.Deny($"EMS ZTNA tags check failed: {why}", PrivateNotifies.ZtnaTagsCheckFailure, [])
                {
                    DebugLines = debug.Lines, UserReason = UserReasons.NoEndpointId(request.Tunnel),
                });
        }

        // ztna-uid-proof: a claim is not enough; only a device certificate proves the UID (issue 10 "The gate").
        if (match.Mode == RemoteGwMatchMode.Ztna && match.RequireProvenUid && request.DeviceCertificateUid is null)
        {
            const string why = "the UID is not proven: no device certificate in this IKE SA (ztna-uid-proof enable)";
            debug.Add(why);
            debug.Add("EMS ZTNA tags check failure, abort");
            return Finish(request, identity, [],
                new PostureDecision.Deny($"EMS ZTNA tags check failed: {why}", PrivateNotifies.ZtnaTagsCheckFailure, [])
                {
                    DebugLines = debug.Lines, Uid = identity.Uid, UserReason = UserReasons.UnprovenUid(request.Tunnel),
                });
        }

        if (match.EmsSnCheck)
        {
            var serial = info?.EmsSerial;
            if (serial is null || !_connectors.Values.Any(c => string.Equals(c.Settings.SerialNumber, serial, StringComparison.Ordinal)))
            {
                var why = serial is null ? "no EMS SN received" : $"EMS SN {serial} is not a configured fctems serial";
                debug.Add($"EMS SN check failed: {why}");
                return Finish(request, identity, [], new PostureDecision.Deny($"EMS SN check failed: {why}", AuthenticationFailed, [])
                {
                    DebugLines = debug.Lines, Uid = identity.Uid ?? info?.Uid, UserReason = UserReasons.EmsSerial(request.Tunnel, serial),
                });
            }
            debug.Add("EMS SN check passed");
        }

        if (match.Mode != RemoteGwMatchMode.Ztna)
            return Finish(request, identity, [], new PostureDecision.Allow(null, PostureSource.None, []) { DebugLines = debug.Lines, Uid = identity.Uid ?? info?.Uid });

        // Kept unverified with an EMS-admitted tunnel: it decides if that EMS goes out of sync.
        var pendingToken = info is { SendsTagToken: true } && request.ZtnaToken is { Length: > 0 } sent && sent.Length <= _verifier.MaxTokenBytes
            ? sent.ToArray() : null;
        // The EMS's share of the decision ends at the budget; what it has not answered by then is unreachable.
        using var budget = new CancellationTokenSource(_budget, _time);
        using var emsDeadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        List<TagCheck> checks;
        for (var attempt = 1; ; attempt++)
        {
            checks = [];
            var (matched, fromCache) = await FirstMatchAsync(match.ZtnaTags, identity, checks, emsDeadline.Token, cancellationToken).ConfigureAwait(false);
            if (matched is null)
                break;
            // Checked and admitted under the lock the out-of-sync re-check lists tunnels under: if
            // the cache that decided has passed out-of-sync-threshold meanwhile, that re-check may
            // already have run without this tunnel, so decide again without the cache.
            bool admitted;
            lock (_enforce)
            {
                if (fromCache && attempt < 3 && !CacheUsable(matched.Tag))
                    continue;
                admitted = Admit(request, identity, matched.Tag, matched.Source, null, pendingToken, cancellationToken);
            }
            if (!admitted)
                return Abandoned(request, identity, checks, debug, info);
            DynamicAddressName.TryParse(matched.Tag, out var name);
            debug.Add($"EMS ZTNA tags check success {name.ShortName}");
            return Finish(request, identity, checks, new PostureDecision.Allow(matched.Tag, matched.Source, []) { DebugLines = debug.Lines, Uid = identity.Uid ?? info?.Uid, Checks = checks });
        }

        var unreachable = checks.FirstOrDefault(c => c.Result == TagCheckResult.Unreachable);
        var reason = checks.Count == 0 ? "no remote-gw-ztna-tags configured"
            : unreachable is not null ? $"{unreachable.Reason}, and no ZTNA token to decide instead"
            : "no tag resolves the endpoint";
        var (refusal, tokenLacksTags) = (TokenRefusal.None, false);
        if (unreachable is not null && request.ZtnaToken is { } token)
        {
            var (tokenTag, tokenReason, verified, tokenRefusal) = await CheckTokenAsync(token, info, BindingOf(request), checks, cancellationToken).ConfigureAwait(false);
            (refusal, tokenLacksTags) = (tokenRefusal, verified is not null);
            if (tokenTag is { } matched)
            {
                bool admitted;
                lock (_enforce)
                    admitted = Admit(request, identity, matched.CmdbName, PostureSource.Token, verified, null, cancellationToken);
                if (!admitted)
                    return Abandoned(request, identity, checks, debug, info);
                // The tunnel's verdict, not the SA's: FortiOS prints it without the SA serial.
                debug.Add($"EMS ZTNA token tags check success {matched.ShortName}", request.TunnelDebug);
                debug.Add("send EMS_ZTNA_TAGS_CHECK_SUCCESS");
                PostureNotify[] notifies = [new PostureNotify(PrivateNotifies.EmsZtnaTagsCheckSuccess, [])];
                return Finish(request, identity, checks, new PostureDecision.Allow(matched.CmdbName, PostureSource.Token, notifies) { DebugLines = debug.Lines, Uid = identity.Uid ?? info?.Uid, Checks = checks });
            }
            debug.Add($"EMS ZTNA token tags check failure: {tokenReason}");
            reason = tokenReason;
        }
        debug.Add("EMS ZTNA tags check failure, abort");
        return Finish(request, identity, checks,
            new PostureDecision.Deny($"EMS ZTNA tags check failed: {reason}", PrivateNotifies.ZtnaTagsCheckFailure, [])
            {
                DebugLines = debug.Lines, Uid = identity.Uid ?? info?.Uid, Checks = checks,
                UserReason = UserReasons.Refused(request.Tunnel, match.ZtnaTags, identity.Uid, unreachable is not null, refusal, tokenLacksTags),
            });
    }

    // The IKE SA went away (or its deadline passed) while the decision ran: nothing is admitted,
    // and the IKE layer sends nothing for a gone SA.
    private PostureDecision Abandoned(PostureRequest request, EndpointIdentity identity, IReadOnlyList<TagCheck> checks, DebugLines debug, FortiClientConnectInfo? info)
    {
        debug.Add("IKE SA gone before the posture decision: nothing admitted");
        return Finish(request, identity, checks,
            new PostureDecision.Deny(AbandonedReason, PrivateNotifies.ZtnaTagsCheckFailure, []) { DebugLines = debug.Lines, Uid = identity.Uid ?? info?.Uid, Checks = checks });
    }

    /// <summary>The reason of a decision whose IKE SA went away (or whose deadline passed) before it was made.</summary>
    public const string AbandonedReason = "IKE SA gone (or its deadline passed) before the posture decision";

    public void Dispose()
    {
        _store.Changed -= OnStoreChanged;
        foreach (var connector in _connectors.Values)
        {
            connector.OutOfSync -= OnConnectorOutOfSync;
            connector.BackInSync -= OnConnectorBackInSync;
        }
        _sweep?.Dispose();
    }

    // remote-gw-ztna-tags in order until one resolves the endpoint; each tag's check is added to <paramref name="checks"/>.
    // emsDeadline bounds the lookups (the budget, or the SA gone); saGone alone abandons the decision.
    private async Task<(TagCheck? Matched, bool FromCache)> FirstMatchAsync(IReadOnlyList<string> tags, EndpointIdentity identity, List<TagCheck> checks,
        CancellationToken emsDeadline, CancellationToken saGone)
    {
        var lookups = new Dictionary<int, EmsAnswer<EndpointEntry>>();
        foreach (var tag in tags)
        {
            var (check, fromCache) = await CheckTagAsync(tag, identity, lookups, emsDeadline, saGone).ConfigureAwait(false);
            checks.Add(check);
            if (check.Result == TagCheckResult.Matched)
                return (check, fromCache);
        }
        return (null, false);
    }

    /// <summary>The fctems entries whose tags this phase1 accepts: the connectors a token for it may speak for.</summary>
    private static int[] ConnectorsOf(RemoteGwMatch match) =>
        [.. match.ZtnaTags.Select(t => DynamicAddressName.TryParse(t, out var n) ? n.ConnectorId : 0).Where(id => id > 0).Distinct()];

    private bool CacheUsable(string tag) =>
        DynamicAddressName.TryParse(tag, out var name) && _connectors.TryGetValue(name.ConnectorId, out var connector) && connector.CacheUsable;

    private async Task<(TagCheck Check, bool FromCache)> CheckTagAsync(string tag, EndpointIdentity identity, Dictionary<int, EmsAnswer<EndpointEntry>> lookups,
        CancellationToken emsDeadline, CancellationToken saGone)
    {
        if (!DynamicAddressName.TryParse(tag, out var name))
            return (new TagCheck(tag, TagCheckResult.Invalid, PostureSource.None, "not an EMS<n>_ZTNA_<tag> name"), false);
        if (!_connectors.TryGetValue(name.ConnectorId, out var connector))
            return (new TagCheck(tag, TagCheckResult.Invalid, PostureSource.None, $"no fctems entry {name.ConnectorId}"), false);
        if (identity.Ipv4 is null)
            return (new TagCheck(tag, TagCheckResult.NotMatched, PostureSource.None, $"{identity.Ip} is not IPv4"), false);
        if (connector.CacheUsable)
        {
            var source = connector.State == ConnectorState.Synced ? PostureSource.Ems : PostureSource.Cache;
            if (CheckCache(connector.Store, name, identity, source) is { } cached)
                return (cached, true);
        }
        // Not in the cache (or no usable cache): ask the EMS, once per connector per decision.
        if (!lookups.TryGetValue(name.ConnectorId, out var live))
        {
            try
            {
                live = await connector.LookupByUidAsync(identity.Uid!, emsDeadline).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!saGone.IsCancellationRequested)
            {
                // Its answer, if it ever comes, is dropped with the cancelled request.
                live = EmsAnswer<EndpointEntry>.Unreachable($"too slow, no answer within the posture decision budget ({_budget.TotalSeconds:0.#} s)");
            }
            lookups[name.ConnectorId] = live;
        }
        var check = live.Status switch
        {
            EmsStatus.Ok => CheckEntry(live.Value!, name, identity, PostureSource.Ems),
            EmsStatus.NotFound => new TagCheck(tag, TagCheckResult.NotMatched, PostureSource.Ems, $"EMS{name.ConnectorId} does not know the endpoint"),
            _ => new TagCheck(tag, TagCheckResult.Unreachable, PostureSource.None, $"EMS{name.ConnectorId} unreachable: {live.Reason}"),
        };
        return (check, false);
    }

    // Null: the cache does not know this endpoint. By its UID only: an address resolving the tag
    // says nothing about who is behind it.
    private static TagCheck? CheckCache(ConnectorTagStore store, DynamicAddressName name, EndpointIdentity identity, PostureSource source)
    {
        if (identity.Uid is not { } uid)
            return new TagCheck(name.CmdbName, TagCheckResult.NotMatched, source, EndpointIdentity.MissingUid(notifySent: false, null));
        return store.TryGetByUid(uid, out var entry) ? CheckEntry(entry, name, identity, source) : null;
    }

    // Where the EMS knows the UID, the address must be the one it recorded: no borrowing another endpoint's tags.
    private static TagCheck CheckEntry(EndpointEntry entry, DynamicAddressName name, EndpointIdentity identity, PostureSource source)
    {
        if (entry.Ipv4 != identity.Ipv4)
            return new TagCheck(name.CmdbName, TagCheckResult.NotMatched, source, $"endpoint {entry.Uid} is at {entry.Ip?.ToString() ?? "no address"} in the EMS, not {identity.Ip}");
        if (!entry.HasTag(name))
            return new TagCheck(name.CmdbName, TagCheckResult.NotMatched, source, $"endpoint {entry.Uid} does not hold {name.Tag}");
        return new TagCheck(name.CmdbName, TagCheckResult.Matched, source, $"{identity.Ip} ({identity.Origin}) resolved, endpoint {entry.Uid}");
    }

    private async Task<(DynamicAddressName? Tag, string Reason, ZtnaToken? Token, TokenRefusal Refusal)> CheckTokenAsync(
        ReadOnlyMemory<byte> token, FortiClientConnectInfo? info, TokenBinding binding, List<TagCheck> checks, CancellationToken cancellationToken)
    {
        if (info is null)
            return (null, "token ignored: no FORTICLIENT_CONNECT (UID) to bind it to", null, TokenRefusal.None);
        if (!info.SendsTagToken)
            return (null, "token ignored: the client did not announce FCTTAGS=1", null, TokenRefusal.None);
        // A token without a kid is tried against the keys of the connectors it could stand in for.
        var unreachable = checks.Where(c => c.Result == TagCheckResult.Unreachable)
            .Select(c => DynamicAddressName.TryParse(c.Tag, out var n) ? n.ConnectorId : 0).Where(id => id > 0).Distinct().ToArray();
        var verification = await _verifier.VerifyAsync(token, info.Uid, cancellationToken, unreachable, binding).ConfigureAwait(false);
        if (!verification.IsValid)
        {
            checks.Add(new TagCheck("token", TagCheckResult.NotMatched, PostureSource.Token, $"refused: {verification.Refusal}"));
            return (null, $"token refused: {verification.Refusal}", null, verification.Refusal);
        }
        // Only for connectors that could not answer: an EMS that said "no" is not overruled.
        foreach (var check in checks)
        {
            if (check.Result == TagCheckResult.Unreachable && DynamicAddressName.TryParse(check.Tag, out var name) && verification.Token!.Matches(name))
                return (name, "", verification.Token, TokenRefusal.None);
        }
        checks.Add(new TagCheck("token", TagCheckResult.NotMatched, PostureSource.Token, "no unreachable connector's tag in the token"));
        return (null, "the token carries none of the tags", verification.Token, TokenRefusal.None);
    }

    // RFC 7800 §3.1: a bound token counts only for the certificate this IKE SA proved.
    private static TokenBinding BindingOf(PostureRequest request) => new(request.ProvenCertificateSha256, request.Match.RequireTokenBinding);

    private PostureDecision Finish(PostureRequest request, EndpointIdentity identity, IReadOnlyList<TagCheck> checks, PostureDecision decision)
    {
        var (outcome, source, tag, reason) = decision switch
        {
            PostureDecision.Allow a => ("allow", a.Source, a.MatchedTag, (string?)null),
            PostureDecision.Deny d => ("deny", PostureSource.None, null, d.Reason),
            _ => ("deny", PostureSource.None, null, "unknown"),
        };
        Audit(new PostureAuditRecord
        {
            Time = _time.GetUtcNow(), Event = "decision", Tunnel = request.Tunnel, Instance = request.Instance,
            Peer = request.Peer.ToString(), Uid = identity.Uid, Ip = identity.Ip.ToString(), User = request.EapUser,
            Outcome = outcome, Source = source, Tag = tag, Reason = reason, Tags = checks,
        });
        return decision;
    }

    private void Audit(PostureAuditRecord record)
    {
        var line = record.ToJsonLine();
        _audit.LogInformation("{Audit}", line);
        try
        {
            _sink?.Write(record);
        }
        catch (IOException e)
        {
            _log.LogError(e, "audit sink failed");
        }
    }

    /// <summary>The token as the debug log shows it: header and claims, the signature elided (a bearer credential is not logged whole).</summary>
    internal static string RedactToken(ReadOnlySpan<byte> token)
    {
        var text = Encoding.Latin1.GetString(token[..Math.Min(token.Length, 8192)]);
        var last = text.LastIndexOf('.');
        var shown = last < 0 ? text : text[..(last + 1)] + "<signature elided>";
        var sb = new StringBuilder(shown.Length);
        foreach (var c in shown)
            sb.Append(c is >= ' ' and < (char)0x7F ? c : '.');
        return sb.ToString();
    }
}
