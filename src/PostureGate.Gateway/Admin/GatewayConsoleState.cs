// What the gateway console's pages read and do, from the running gateway's own state in-process —
// the same sources as `diagnose vpn tunnel list`, `endpoint fctems status`, `vpn ipsec status` and
// `posture explain` — and the one way they change it: delete a tunnel, reload a configuration.
using PostureGate.Gateway.Composition;
using PostureGate.Posture;

namespace PostureGate.Gateway.Admin;

/// <summary>One live dial-up instance as the tunnels page lists it.</summary>
public sealed record ConsoleTunnel(string Instance, string Tunnel, string? User, string? Uid, string? VirtualIp, string Remote,
    string? Tag, PostureSource Source, long RxBytes, long TxBytes);

public sealed class GatewayConsoleState(GatewayHost gateway, PostureComposition? posture, RecentAuditLines decisions, ConfigReloader reloader)
{
    public GatewayHost Gateway => gateway;

    public ConfigReloader Reloader => reloader;

    public IReadOnlyList<ConsoleTunnel> Tunnels()
    {
        var admitted = (posture?.Gate.LiveTunnels ?? []).ToDictionary(t => t.Instance, StringComparer.Ordinal);
        return [.. gateway.TunnelViews().Where(v => v.IsInstance).Select(v =>
        {
            admitted.TryGetValue(v.Name, out var p);
            return new ConsoleTunnel(v.Name, v.Parent!, p?.User, p?.Uid, v.TunnelId, v.Remote, p?.MatchedTag, p?.Source ?? PostureSource.None, v.RxBytes, v.TxBytes);
        })];
    }

    /// <summary>Deletes an instance with an INFORMATIONAL exchange (cleared locally when the peer does not answer in time); false when there is none.</summary>
    public async Task<bool> DeleteTunnelAsync(string instance)
    {
        if (!gateway.Ike.Snapshot().Any(s => s.Name == instance))
            return false;
        var deleted = gateway.Ike.DeleteAsync(instance, "deleted by an admin in the console");
        if (await Task.WhenAny(deleted, Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false) != deleted)
            gateway.Ike.Clear(instance);
        return true;
    }

    public IReadOnlyList<FctemsStatusFormatter.FctemsStatusJson> Connectors() =>
        posture is null ? [] : FctemsStatusFormatter.Describe(posture.Connectors, posture.Keys);

    public async Task<string> DataPlaneAsync(CancellationToken ct)
    {
        var text = new StringWriter();
        await gateway.Diagnose.DispatchAsync(["vpn", "ipsec", "status"], json: false, text, ct).ConfigureAwait(false);
        return text.ToString();
    }

    public IReadOnlyList<PostureAuditRecord> Decisions(int limit) => decisions.Recent(limit);

    /// <summary>`diagnose posture explain` for a UID or IP the admin typed; null without a posture gate.</summary>
    public PostureExplanation? Explain(string uidOrIp) => posture?.Gate.Explain(uidOrIp);
}
