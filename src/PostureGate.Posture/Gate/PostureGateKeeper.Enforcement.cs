// Continuous enforcement: the live tunnels the gate admitted stay under watch, and each of these
// events re-judges the tunnels it can affect, as a new connection would be judged at that moment
// (EMS caches first, then the client's token for the tags whose EMS cannot answer):
//   1. an EMS change for their endpoint (push, snapshot, live lookup) — that endpoint's tunnels;
//   2. a ZTNA_TAG the client sends later (INFORMATIONAL) — that tunnel;
//   3. the token sweep — tunnels a token admitted (their tokens expire);
//   4. an EMS lost past out-of-sync-threshold (the connector's timer, once per loss) — the tunnels
//      a tag of that EMS admitted, the IKE_AUTH token they kept verified first;
//   5. that EMS back in sync — its tunnels again, so the EMS decides once more;
//   6. an EMS revoking the device certificate a tunnel authenticated with (CertificateRevoked, from
//      the gateway, which knows which IKE SA proved which certificate) — that tunnel, whatever admitted it.
// A judgement and its effect happen under one lock on the record they judged (a concurrent
// delete, re-admission or token update makes it a no-op); TunnelRevoked is raised after it,
// and the gateway deletes the IKE SA. A tunnel kept under another tag or source gets an audit line.
// The IKE_AUTH token of an EMS-admitted tunnel is verified only when a judgement needs it: such
// a judgement waits for the verification (in the background) instead of taking it for missing.
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace PostureGate.Posture;

public sealed partial class PostureGateKeeper
{
    private readonly Lock _enforce = new();

    /// <summary>Re-checks every tunnel admitted by a token (expired tokens no longer count).</summary>
    public void SweepTokens() =>
        Reevaluate([.. _tunnels.All().Where(t => t.Source == PostureSource.Token).Select(t => t.Instance)], "ZTNA token sweep", RevocationReasons.EmsCannotVouch);

    /// <summary>A ZTNA_TAG received later (INFORMATIONAL) for a live tunnel: verified, kept, and the tunnel re-evaluated.</summary>
    public async Task<TokenVerification> OnTokenUpdateAsync(string instance, ReadOnlyMemory<byte> token, Action<string>? debug = null, CancellationToken cancellationToken = default)
    {
        if (!_tunnels.TryGet(instance, out var tunnel) || tunnel.Uid is null)
            return TokenVerification.Refused(TokenRefusal.UidMismatch, "no live tunnel with a FortiClient UID");
        debug?.Invoke($"received ZTNA tags update token (len={token.Length}) data={RedactToken(token.Span)}");
        var verification = await _verifier.VerifyAsync(token, tunnel.Uid, cancellationToken, ConnectorsOf(tunnel.Match), tunnel.Binding).ConfigureAwait(false);
        Audit(new PostureAuditRecord
        {
            Time = _time.GetUtcNow(), Event = "token-update", Tunnel = tunnel.Tunnel, Instance = instance, Uid = tunnel.Uid,
            Outcome = verification.IsValid ? "accepted" : "refused", Source = PostureSource.Token,
            Reason = verification.IsValid ? null : verification.Refusal.ToString(),
        });
        if (!verification.IsValid)
        {
            debug?.Invoke($"ZTNA tags update token refused: {verification.Refusal}");
            return verification;
        }
        // The record may have moved on while the signature was checked: update whatever is live
        // now for this endpoint, never bring back a tunnel that was deleted meanwhile.
        while (_tunnels.TryGet(instance, out var current) && string.Equals(current.Uid, tunnel.Uid, StringComparison.Ordinal))
        {
            if (_tunnels.Replace(current, current with { Token = verification.Token, PendingToken = null }))
            {
                Reevaluate([instance], "ZTNA token update", RevocationReasons.TokenTagsChanged);
                break;
            }
        }
        return verification;
    }

    // Callers hold _enforce. The SA it admits is the one whose decision this is, still alive:
    // its token is cancelled before the SA's name can go to another SA (TunnelClosed, then the
    // IKE layer frees the name), so a late decision never writes over the next holder's record.
    private bool Admit(PostureRequest request, EndpointIdentity identity, string tag, PostureSource source, ZtnaToken? token, byte[]? pendingToken, CancellationToken saAlive)
    {
        if (saAlive.IsCancellationRequested)
            return false;
        var tunnel = new LiveTunnel
        {
            Tunnel = request.Tunnel,
            Instance = request.Instance,
            Match = request.Match,
            Uid = identity.Uid,
            Ipv4 = identity.Ipv4,
            Peer = request.Peer,
            User = request.EapUser,
            MatchedTag = tag,
            Source = source,
            Token = token,
            PendingToken = token is null ? pendingToken : null,
            AdmittedAt = _time.GetUtcNow(),
            Binding = BindingOf(request),
        };
        _tunnels.Set(tunnel);
        return true;
    }

    private void OnStoreChanged(IReadOnlyList<EndpointDelta> deltas)
    {
        // A cache that may not decide cannot change a judgement (its tunnels were judged when it
        // went out of sync, and are again when it is back): the resync snapshot lands here first.
        if (deltas.Count == 0 || (_connectors.TryGetValue(deltas[0].ConnectorId, out var connector) && !connector.CacheUsable))
            return;
        IEnumerable<string> affected;
        if (deltas.Count > _tunnels.Count)
        {
            affected = _tunnels.All().Select(t => t.Instance);
        }
        else
        {
            var set = new HashSet<string>(StringComparer.Ordinal);
            foreach (var delta in deltas)
            {
                foreach (var tunnel in _tunnels.Find(delta.Uid, delta.Before?.Ipv4, delta.After?.Ipv4))
                    set.Add(tunnel.Instance);
            }
            affected = set;
        }
        Reevaluate([.. affected], $"EMS{deltas[0].ConnectorId} change", RevocationReasons.EmsCannotVouch);
    }

    // The connector's timer thread must not wait for token signatures: the work goes to the pool.
    private void OnConnectorOutOfSync(EmsConnector connector) => InBackground(() => ReevaluateOutOfSyncAsync(connector), $"fctems {connector.Settings.Id} out of sync");

    private void InBackground(Func<Task> work, string what) => _ = Task.Run(async () =>
    {
        try
        {
            await work().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _log.LogError(e, "{What}: re-evaluating tunnels failed", what);
        }
    });

    /// <summary>
    /// fctems <paramref name="connector"/> passed out-of-sync-threshold: the tunnels its tags
    /// admitted are judged again without its cache — O(those tunnels), plus one signature check
    /// for each IKE_AUTH token not yet verified.
    /// </summary>
    internal async Task ReevaluateOutOfSyncAsync(EmsConnector connector)
    {
        var id = connector.Settings.Id;
        // The connector marked its cache out of sync before raising the event, and EvaluateAsync
        // admits under this lock only after seeing the cache usable: a tunnel is either in this
        // list or was decided without the cache.
        IReadOnlyList<LiveTunnel> tunnels;
        lock (_enforce)
            tunnels = _tunnels.ForConnector(id);
        var trigger = connector.OutOfSyncSince is { } since
            ? $"EMS{id} out of sync since {since.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} (out-of-sync-threshold {connector.Settings.OutOfSyncThreshold.TotalSeconds:0}s)"
            : $"EMS{id} out of sync";
        var (kept, revoked) = await ReevaluateWithTokensAsync([.. tunnels.Select(t => t.Instance)], trigger, RevocationReasons.EmsCannotVouch).ConfigureAwait(false);
        _log.LogWarning("{Trigger}: {Tunnels} tunnels re-evaluated, {Kept} kept, {Revoked} revoked", trigger, tunnels.Count, kept, revoked);
    }

    // Verifies the IKE_AUTH token each of these tunnels kept unverified (as a new connection's
    // would be verified now), then judges them.
    private async Task<(int Kept, int Revoked)> ReevaluateWithTokensAsync(IReadOnlyCollection<string> instances, string trigger, string unreachableReason)
    {
        var tokenChecks = new Dictionary<string, TagCheck>(StringComparer.Ordinal);
        foreach (var instance in instances)
        {
            // A concurrent change to the record (another judgement, a token update) makes the
            // swap fail: verify what is live then, a few times at most.
            for (var tries = 0; tries < 3 && _tunnels.TryGet(instance, out var tunnel) && tunnel is { PendingToken: { } raw, Uid: { } uid, Token: null }; tries++)
            {
                var verification = await _verifier.VerifyAsync(raw, uid, default, ConnectorsOf(tunnel.Match), tunnel.Binding).ConfigureAwait(false);
                if (!verification.IsValid)
                    tokenChecks[instance] = new TagCheck("token", TagCheckResult.NotMatched, PostureSource.Token, $"refused: {verification.Refusal}");
                if (_tunnels.Replace(tunnel, tunnel with { PendingToken = null, Token = verification.Token }))
                    break;
            }
        }
        return Reevaluate(instances, trigger, unreachableReason, tokenChecks, tokensVerified: true);
    }

    private void OnConnectorBackInSync(EmsConnector connector)
    {
        // Without pulled tags there is no cache to judge by; the token sweep keeps watching.
        if (!connector.Settings.PullTags)
            return;
        var id = connector.Settings.Id;
        Reevaluate([.. _tunnels.ForConnector(id).Select(t => t.Instance)], $"EMS{id} back in sync", RevocationReasons.EmsCannotVouch);
    }

    /// <summary>
    /// Judges the live record of each instance, and applies the outcome to that very record:
    /// kept (under another tag or source: an audit line) or deleted (TunnelRevoked, raised once
    /// the lock is released). A tunnel that only an IKE_AUTH token not yet verified could keep
    /// is judged again once it is (in the background, unless <paramref name="tokensVerified"/>).
    /// </summary>
    private (int Kept, int Revoked) Reevaluate(IReadOnlyCollection<string> instances, string trigger, string unreachableReason,
        IReadOnlyDictionary<string, TagCheck>? extraChecks = null, bool tokensVerified = false)
    {
        if (instances.Count == 0)
            return (0, 0);
        var audits = new List<PostureAuditRecord>();
        var revocations = new List<TunnelRevoked>();
        var unverified = new List<string>();
        var kept = 0;
        lock (_enforce)
        {
            var now = _time.GetUtcNow();
            foreach (var instance in instances)
            {
                if (!_tunnels.TryGet(instance, out var tunnel) || tunnel.Ipv4 is null)
                    continue;
                var verdict = Judge(tunnel, now);
                if (extraChecks?.GetValueOrDefault(instance) is { } extra)
                    verdict.Checks.Add(extra);
                PostureAuditRecord Record(string @event, string outcome, PostureSource source, string? tag, string? reason) => new()
                {
                    Time = now, Event = @event, Tunnel = tunnel.Tunnel, Instance = instance, Peer = tunnel.Peer?.ToString(), Uid = tunnel.Uid,
                    Ip = Ipv4Address.FromUInt32(tunnel.Ipv4.Value).ToString(), User = tunnel.User, Outcome = outcome, Source = source,
                    Tag = tag, Reason = reason, Trigger = trigger, Tags = verdict.Checks,
                };
                if (verdict.Tag is { } tag)
                {
                    kept++;
                    var moved = !string.Equals(tag, tunnel.MatchedTag, StringComparison.Ordinal) || (verdict.Source == PostureSource.Token) != (tunnel.Source == PostureSource.Token);
                    if (moved && _tunnels.Replace(tunnel, tunnel with { MatchedTag = tag, Source = verdict.Source }))
                        audits.Add(Record("revalidated", "allow", verdict.Source, tag, null));
                    continue;
                }
                if (verdict.AnyUnreachable && !tokensVerified && tunnel is { PendingToken: not null, Token: null })
                {
                    unverified.Add(instance);
                    continue;
                }
                if (!_tunnels.Remove(instance, tunnel))
                    continue;
                var reason = verdict.AnyUnreachable ? unreachableReason : RevocationReasons.TagRemoved;
                audits.Add(Record("revoked", "revoke", tunnel.Source, tunnel.MatchedTag, reason));
                revocations.Add(new TunnelRevoked(tunnel.Tunnel, instance, tunnel.Uid, reason)
                {
                    UserReason = UserReasons.Revoked(tunnel.Tunnel, _settings.GetValueOrDefault(tunnel.Tunnel, RemoteGwMatch.Any).ZtnaTags, tunnel.Uid, reason),
                });
            }
        }
        foreach (var audit in audits)
            Audit(audit);
        foreach (var revoked in revocations)
            RaiseRevoked(revoked);
        if (unverified.Count > 0)
            InBackground(() => ReevaluateWithTokensAsync(unverified, trigger, unreachableReason), trigger);
        return (kept, revocations.Count);
    }

    /// <summary>
    /// The EMS revoked the device certificate that <paramref name="instance"/>'s peer authenticated with: the tunnel
    /// goes whatever admitted it (an audit line `revoked`, then TunnelRevoked, which deletes the IKE SA).
    /// </summary>
    public void CertificateRevoked(string tunnel, string instance, string? uid, string serial, string trigger)
    {
        LiveTunnel? live;
        lock (_enforce)
            live = _tunnels.TryGet(instance, out var t) && _tunnels.Remove(instance, t) ? t : null;
        Audit(new PostureAuditRecord
        {
            Time = _time.GetUtcNow(), Event = "revoked", Tunnel = tunnel, Instance = instance, Peer = live?.Peer?.ToString(), Uid = uid ?? live?.Uid,
            Ip = live?.Ipv4 is { } ip ? Ipv4Address.FromUInt32(ip).ToString() : null, User = live?.User, Outcome = "revoke",
            Source = live?.Source ?? PostureSource.None, Tag = live?.MatchedTag, Reason = $"{RevocationReasons.CertificateRevoked} (serial {serial})", Trigger = trigger,
        });
        RaiseRevoked(new TunnelRevoked(tunnel, instance, uid ?? live?.Uid, RevocationReasons.CertificateRevoked) { UserReason = UserReasons.CertificateRevoked(tunnel) });
    }

    private readonly record struct Verdict(string? Tag, PostureSource Source, bool AnyUnreachable, List<TagCheck> Checks);

    // EvaluateAsync's order from cached state only: each tag whose EMS cache may decide, then —
    // for the tags whose EMS cannot — the tunnel's verified token. Synchronous: callers hold _enforce.
    private Verdict Judge(LiveTunnel tunnel, DateTimeOffset now)
    {
        var identity = new EndpointIdentity(tunnel.Uid, Ipv4Address.FromUInt32(tunnel.Ipv4!.Value), "live tunnel");
        var checks = new List<TagCheck>(tunnel.Match.ZtnaTags.Count + 1);
        var unreachable = new List<DynamicAddressName>();
        foreach (var tag in tunnel.Match.ZtnaTags)
        {
            if (!DynamicAddressName.TryParse(tag, out var name) || !_connectors.TryGetValue(name.ConnectorId, out var connector))
            {
                checks.Add(new TagCheck(tag, TagCheckResult.Invalid, PostureSource.None, "no such connector or not an EMS<n>_ZTNA_<tag> name"));
                continue;
            }
            if (!connector.CacheUsable)
            {
                unreachable.Add(name);
                checks.Add(new TagCheck(tag, TagCheckResult.Unreachable, PostureSource.None, $"EMS{name.ConnectorId} {Describe(connector)}"));
                continue;
            }
            var source = connector.State == ConnectorState.Synced ? PostureSource.Ems : PostureSource.Cache;
            var check = CheckCache(connector.Store, name, identity, source)
                ?? new TagCheck(tag, TagCheckResult.NotMatched, source, $"EMS{name.ConnectorId} does not know the endpoint");
            checks.Add(check);
            if (check.Result == TagCheckResult.Matched)
                return new Verdict(tag, source, false, checks);
        }
        if (unreachable.Count == 0)
            return new Verdict(null, PostureSource.None, false, checks);
        if (tunnel.Token is not { } token)
        {
            checks.Add(new TagCheck("token", TagCheckResult.NotMatched, PostureSource.Token, "no valid ZTNA token from the client"));
        }
        else if (token.ExpiresAt <= now)
        {
            checks.Add(new TagCheck("token", TagCheckResult.NotMatched, PostureSource.Token, $"expired at {token.ExpiresAt:u}"));
        }
        else
        {
            foreach (var name in unreachable)
            {
                if (token.Matches(name))
                {
                    checks.Add(new TagCheck(name.CmdbName, TagCheckResult.Matched, PostureSource.Token, $"ZTNA token (iat {token.IssuedAt:u}, exp {token.ExpiresAt:u})"));
                    return new Verdict(name.CmdbName, PostureSource.Token, true, checks);
                }
            }
            checks.Add(new TagCheck("token", TagCheckResult.NotMatched, PostureSource.Token, "the token carries none of the tags whose EMS cannot answer"));
        }
        return new Verdict(null, PostureSource.None, true, checks);
    }

    private void RaiseRevoked(TunnelRevoked revoked)
    {
        _log.LogWarning("posture revoked {Tunnel}/{Instance} uid {Uid}: {Reason}", revoked.Tunnel, revoked.Instance, revoked.Uid, revoked.Reason);
        foreach (var handler in TunnelRevoked?.GetInvocationList() ?? [])
        {
            // One failing subscriber must not stop the others, nor the EMS stream that called us.
            try
            {
                ((Action<TunnelRevoked>)handler)(revoked);
            }
            catch (Exception e)
            {
                _log.LogError(e, "TunnelRevoked subscriber failed for {Instance}", revoked.Instance);
            }
        }
    }
}
