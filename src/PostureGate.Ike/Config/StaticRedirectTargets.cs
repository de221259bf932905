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
        // One turn of the list from the next position; the first acceptable one wins.
        var start = (uint)Interlocked.Increment(ref _next);
        for (var i = 0; i < _gateways.Length; i++)
        {
            var g = _gateways[(start + (uint)i) % (uint)_gateways.Length];
            if (g.Address is { } a && (Same(a, local) || redirectedFrom is not null && Same(a, redirectedFrom)))
                continue;
            return g;
        }
        return null;
    }

    public string Describe() => string.Join(' ', _gateways.Select(g => g.ToString()));

    // An IPv4 client may arrive on a dual-stack socket as ::ffff:a.b.c.d.
    private static bool Same(IPAddress a, IPAddress b) =>
        (a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a).Equals(b.IsIPv4MappedToIPv6 ? b.MapToIPv4() : b);
}
