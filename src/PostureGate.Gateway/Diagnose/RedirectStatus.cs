// `diagnose vpn ike redirect` (PostureGate's own words; FortiOS has no RFC 5685 redirect): whether
// this node drains (`pgate gateway drain`), its load as the IKE SAs it holds, what it redirected or
// refused, and each phase1's `redirect-gateway` targets and `redirect-threshold`.
using System.Globalization;
using System.Text;
using PostureGate.Ike.Config;
using PostureGate.Ike.Sa;

namespace PostureGate.Gateway.Diagnose;

public sealed record RedirectPhase1(string Phase1, string Targets, int Threshold);

public sealed record RedirectStatus(bool Draining, int IkeSas, long Redirected, long RefusedWhileDraining, IReadOnlyList<RedirectPhase1> Phase1s)
{
    public static RedirectStatus Of(IkeSaManager ike, IEnumerable<IkePeerConfig> peers) => new(
        ike.Redirect.Draining, ike.Count, ike.Redirect.Redirected, ike.Redirect.RefusedWhileDraining,
        [.. peers.Select(p => new RedirectPhase1(p.Name, p.RedirectTargets?.Describe() ?? "", p.RedirectThreshold))]);

    public string Format()
    {
        var c = CultureInfo.InvariantCulture;
        var b = new StringBuilder();
        b.Append(c, $"draining: {(Draining ? "yes (new IKE SAs are redirected or refused; established ones stay)" : "no")}\n");
        b.Append(c, $"IKE SAs: {IkeSas}\n");
        b.Append(c, $"redirected: {Redirected}  refused while draining: {RefusedWhileDraining}\n");
        foreach (var p in Phase1s)
        {
            var targets = p.Targets.Length > 0 ? p.Targets : "(none: draining refuses new clients)";
            var threshold = p.Threshold > 0 ? p.Threshold.ToString(c) : "0 (only while draining)";
            b.Append(c, $"phase1 {p.Phase1}: redirect-gateway {targets}; redirect-threshold {threshold}\n");
        }
        return b.ToString();
    }
}
