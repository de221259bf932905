// `pgate diagnose posture explain IP|UID [TUNNEL]`: the decision the gate would take now, from
// cached state only (no EMS query, no token), with each tag's reason.
using System.Net;
using PostureGate.Admission;

namespace PostureGate.Posture;

public sealed partial class PostureGateKeeper
{
    /// <summary>What would happen now to an endpoint (IPv4 or UID) on each ztna tunnel, from cached state only.</summary>
    public PostureExplanation Explain(string ipOrUid, string? tunnel = null)
    {
        string? uid = null;
        IPAddress? ip = null;
        if (IPAddress.TryParse(ipOrUid, out var parsed))
        {
            // The gate judges UIDs: explain for the endpoint the caches know at this address, if any.
            ip = Ipv4Address.Normalize(parsed);
            if (Ipv4Address.TryToUInt32(ip, out var v))
            {
                foreach (var store in _store.All)
                {
                    if (store.TryGetByIp(v, out var entry))
                    {
                        uid = entry.Uid;
                        break;
                    }
                }
            }
        }
        else
        {
            uid = ipOrUid.Trim().ToUpperInvariant();
            foreach (var store in _store.All)
            {
                if (store.TryGetByUid(uid, out var entry) && entry.Ip is not null)
                {
                    ip = entry.Ip;
                    break;
                }
            }
        }
        var tunnels = new List<TunnelExplanation>();
        foreach (var (name, match) in _settings.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (tunnel is not null && name != tunnel)
                continue;
            if (match.Mode != RemoteGwMatchMode.Ztna)
            {
                tunnels.Add(new TunnelExplanation(name, "allow", $"remote-gw-match {match.Mode.ToString().ToLowerInvariant()}: no posture check", []));
                continue;
            }
            if (uid is null)
            {
                tunnels.Add(new TunnelExplanation(name, "deny", "FortiClient UID missing: no endpoint is known at this address, and remote-gw-match ztna admits none by address", []));
                continue;
            }
            var identity = new EndpointIdentity(uid, ip ?? IPAddress.Any, "explain");
            var checks = match.ZtnaTags.Select(tag => ExplainTag(tag, identity)).ToList();
            var matched = checks.FirstOrDefault(c => c.Result == TagCheckResult.Matched);
            var verdict = matched is not null ? "allow"
                : checks.Any(c => c.Result == TagCheckResult.Unreachable) ? "token-decides" : "deny";
            var why = matched is not null ? $"{matched.Tag} ({matched.Source})"
                : verdict == "token-decides" ? "the EMS cannot answer; a valid token with the tag would admit" : "no tag resolves the endpoint";
            tunnels.Add(new TunnelExplanation(name, verdict, why, checks));
        }
        return new PostureExplanation(ipOrUid, uid, ip?.ToString(), tunnels);
    }

    private TagCheck ExplainTag(string tag, EndpointIdentity identity)
    {
        if (!DynamicAddressName.TryParse(tag, out var name) || !_connectors.TryGetValue(name.ConnectorId, out var connector))
            return new TagCheck(tag, TagCheckResult.Invalid, PostureSource.None, "no such connector or not an EMS<n>_ZTNA_<tag> name");
        if (!connector.CacheUsable)
            return new TagCheck(tag, TagCheckResult.Unreachable, PostureSource.None, $"EMS{name.ConnectorId} {Describe(connector)}: a live lookup, then the token, would decide");
        if (identity.Ipv4 is null)
            return new TagCheck(tag, TagCheckResult.NotMatched, PostureSource.None, $"{identity.Ip} is not IPv4");
        var source = connector.State == ConnectorState.Synced ? PostureSource.Ems : PostureSource.Cache;
        return CheckCache(connector.Store, name, identity, source)
            ?? new TagCheck(tag, TagCheckResult.NotMatched, source, "unknown to the cache: a live EMS lookup would decide");
    }

    private string Describe(EmsConnector connector) => connector.State switch
    {
        ConnectorState.Lost when connector.OutOfSyncSince is { } since => $"lost since {connector.LostSince:u}, out of sync since {since:u}",
        ConnectorState.Lost => $"lost since {connector.LostSince:u} (past out-of-sync-threshold)",
        ConnectorState.Connecting => "never synced",
        _ => "synced",
    };
}
