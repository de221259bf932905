// `diagnose firewall policy list`: each compiled policy in match order with its hit counters, then
// the implicit deny's hits (FortiOS's implicit policy 0 at the end of the list).
using System.Globalization;
using System.Text;
using PostureGate.Gateway.Firewall;

namespace PostureGate.Gateway.Diagnose;

internal static class FirewallPolicyList
{
    public static string Format(FirewallPolicySet set)
    {
        var text = new StringBuilder();
        foreach (var p in set.Policies)
            text.Append(CultureInfo.InvariantCulture,
                $"policy {p.Id} name=\"{p.Name}\" action={p.Action.ToString().ToLowerInvariant()} nat={(p.Nat ? "enable" : "disable")} hits={p.Hits} bytes={p.Bytes}\n");
        text.Append(CultureInfo.InvariantCulture, $"implicit deny hits={set.ImplicitDenies}\n");
        return text.ToString();
    }
}
