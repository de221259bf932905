// Continuous enforcement: the live tunnels the gate admitted stay under watch. An EMS change for
// their endpoint, a later ZTNA_TAG (INFORMATIONAL), or a token's expiry re-evaluates them from
// cached state only (this runs on the thread that applied the change), and TunnelRevoked names
// each one no longer allowed; the gateway deletes its IKE SA.
using Microsoft.Extensions.Logging;

namespace PostureGate.Posture;

public sealed partial class PostureGateKeeper
{
    /// <summary>Re-checks every tunnel admitted by a token (expired tokens no longer count).</summary>
    public void SweepTokens()
    {
        foreach (var tunnel in _tunnels.All())
        {
            if (tunnel.Source == PostureSource.Token)
                Revalidate(tunnel, "ZTNA token expired and the EMS cannot vouch for the endpoint");
        }
    }

    /// <summary>A ZTNA_TAG received later (INFORMATIONAL) for a live tunnel: verified, kept, and the tunnel re-evaluated.</summary>
    public async Task<TokenVerification> OnTokenUpdateAsync(string instance, ReadOnlyMemory<byte> token, Action<string>? debug = null, CancellationToken cancellationToken = default)
    {
        if (!_tunnels.TryGet(instance, out var tunnel) || tunnel.Uid is null)
            return TokenVerification.Refused(TokenRefusal.UidMismatch, "no live tunnel with a FortiClient UID");
        debug?.Invoke($"received ZTNA tags update token (len={token.Length}) data={RedactToken(token.Span)}");
        var verification = await _verifier.VerifyAsync(token, tunnel.Uid, cancellationToken).ConfigureAwait(false);
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
        var updated = tunnel with { Token = verification.Token };
        _tunnels.Set(updated);
        Revalidate(updated, "token tags no longer match");
        return verification;
    }

    private void Admit(PostureRequest request, EndpointIdentity identity, string tag, PostureSource source, ZtnaToken? token) =>
        _tunnels.Set(new LiveTunnel
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
            AdmittedAt = _time.GetUtcNow(),
        });

    private void OnStoreChanged(IReadOnlyList<EndpointDelta> deltas)
    {
        IEnumerable<LiveTunnel> affected;
        if (deltas.Count > _tunnels.Count)
        {
            affected = _tunnels.All();
        }
        else
        {
            var set = new Dictionary<string, LiveTunnel>(StringComparer.Ordinal);
            foreach (var delta in deltas)
            {
                foreach (var tunnel in _tunnels.Find(delta.Uid, delta.Before?.Ipv4, delta.After?.Ipv4))
                    set[tunnel.Instance] = tunnel;
            }
            affected = set.Values;
        }
        foreach (var tunnel in affected)
            Revalidate(tunnel, "EMS no longer resolves the endpoint with any configured tag");
    }

    // Synchronous and cache-only: it runs on the thread that applied an EMS change.
    private void Revalidate(LiveTunnel tunnel, string reason)
    {
        if (tunnel.Ipv4 is null)
            return;
        var identity = new EndpointIdentity(tunnel.Uid, Ipv4Address.FromUInt32(tunnel.Ipv4.Value), "live tunnel");
        var now = _time.GetUtcNow();
        foreach (var tag in tunnel.Match.ZtnaTags)
        {
            if (!DynamicAddressName.TryParse(tag, out var name) || !_connectors.TryGetValue(name.ConnectorId, out var connector))
                continue;
            if (connector.CacheUsable)
            {
                var source = connector.State == ConnectorState.Synced ? PostureSource.Ems : PostureSource.Cache;
                if (CheckCache(connector.Store, name, identity, source) is { Result: TagCheckResult.Matched })
                    return;
            }
            else if (tunnel.Token is { } token && token.ExpiresAt > now && token.Matches(name))
            {
                return;
            }
        }
        if (!_tunnels.Remove(tunnel.Instance))
            return;
        _log.LogWarning("posture revoked {Tunnel}/{Instance} uid {Uid}: {Reason}", tunnel.Tunnel, tunnel.Instance, tunnel.Uid, reason);
        Audit(new PostureAuditRecord
        {
            Time = now, Event = "revoked", Tunnel = tunnel.Tunnel, Instance = tunnel.Instance, Peer = tunnel.Peer?.ToString(),
            Uid = tunnel.Uid, Ip = identity.Ip.ToString(), User = tunnel.User, Outcome = "revoke", Source = tunnel.Source, Tag = tunnel.MatchedTag, Reason = reason,
        });
        var revoked = new TunnelRevoked(tunnel.Tunnel, tunnel.Instance, tunnel.Uid, reason);
        foreach (var handler in TunnelRevoked?.GetInvocationList() ?? [])
        {
            // One failing subscriber must not stop the others, nor the EMS stream that called us.
            try
            {
                ((Action<TunnelRevoked>)handler)(revoked);
            }
            catch (Exception e)
            {
                _log.LogError(e, "TunnelRevoked subscriber failed for {Instance}", tunnel.Instance);
            }
        }
    }
}
