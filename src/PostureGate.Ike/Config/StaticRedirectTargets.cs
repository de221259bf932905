// IRedirectTargets over a configured list (PostureGate's phase1 `redirect-gateway`): taken in turn,
// so redirected clients spread over the other gateways. The same list may be configured on every
// node: a node skips its own address. A host name is never recognised as this node (no lookup).
using System.Net;
using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Ike.Config;

public sealed class StaticRedirectTargets : IRedirectTargets
{
    private readonly RedirectGateway[] _gateways;
    private int _next = -1;

    public StaticRedirectTargets(IEnumerable<RedirectGateway> gateways)
    {
        _gateways = [.. gateways];
        if (_gateways.Length == 0)
            throw new ArgumentException("no redirect target", nameof(gateways));
    }

    public IReadOnlyList<RedirectGateway> Gateways => _gateways;

    public RedirectGateway? Pick(IPAddress local, IPAddress? redirectedFrom)
    {
        // The acceptable ones taken in turn: count them, then take the turn's one (no list built per request).
        var acceptable = 0;
        foreach (var g in _gateways)
            if (Acceptable(g, local, redirectedFrom))
                acceptable++;
        if (acceptable == 0)
            return null;
        var turn = (uint)Interlocked.Increment(ref _next) % (uint)acceptable;
        foreach (var g in _gateways)
            if (Acceptable(g, local, redirectedFrom) && turn-- == 0)
                return g;
        return null;
    }

    private static bool Acceptable(RedirectGateway g, IPAddress local, IPAddress? redirectedFrom) =>
        g.Address is not { } a || !Same(a, local) && (redirectedFrom is null || !Same(a, redirectedFrom));

    public string Describe() => string.Join(' ', _gateways.Select(g => g.ToString()));

    // An IPv4 client may arrive on a dual-stack socket as ::ffff:a.b.c.d.
    private static bool Same(IPAddress a, IPAddress b) =>
        (a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a).Equals(b.IsIPv4MappedToIPv6 ? b.MapToIPv4() : b);
}
