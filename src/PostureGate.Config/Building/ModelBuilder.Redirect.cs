// PostureGate's IKEv2 redirect attributes (RFC 5685; FortiOS has none): `redirect-gateway`, the
// gateways new clients are sent to, each an IPv4/IPv6 address or a host name (RFC 5685 §9.2 GW
// Ident Types), and `redirect-threshold`, which needs somewhere to redirect to.
using PostureGate.Config.Binding;
using PostureGate.Config.Model;
using S = PostureGate.Config.Schema.Phase1Schema;

namespace PostureGate.Config.Building;

internal sealed partial class ModelBuilder
{
    private ValueList<string> BuildRedirectGateways(BoundEntry e, ref bool ok)
    {
        var values = List<string>(e, S.RedirectGateway);
        if (Int(e, S.RedirectThreshold) > 0 && values.Count == 0)
            Fail(e.SpanOfValue(S.RedirectThreshold), "'redirect-threshold' needs 'set redirect-gateway': there is nowhere to redirect to", ref ok);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < values.Count; i++)
        {
            var at = e.SpanOfValue(S.RedirectGateway, i);
            var value = values[i];
            if (PostureGate.Net.HostName.AddressOrNameProblem(value, out var address) is { } problem)
                Fail(at, $"redirect-gateway {problem}", ref ok);
            else if (!seen.Add(address?.ToString() ?? value))
                Fail(at, $"redirect-gateway '{value}' is listed twice", ref ok);
        }
        return values;
    }
}
