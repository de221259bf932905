// `pgate diagnose posture explain IP|UID [TUNNEL]`: what the gate would decide now and why.
using System.Text;

namespace PostureGate.Posture;

public sealed record TunnelExplanation(string Tunnel, string Verdict, string Reason, IReadOnlyList<TagCheck> Tags);

public sealed record PostureExplanation(string Target, string? Uid, string? Ip, IReadOnlyList<TunnelExplanation> Tunnels)
{
    public string ToText()
    {
        var sb = new StringBuilder();
        sb.Append("endpoint ").Append(Target);
        if (Uid is not null && Ip is not null)
            sb.Append(" (ip ").Append(Ip).Append(')');
        sb.Append('\n');
        if (Tunnels.Count == 0)
            sb.Append("  no tunnel with remote-gw-match configured\n");
        foreach (var tunnel in Tunnels)
        {
            sb.Append("  tunnel ").Append(tunnel.Tunnel).Append(": ").Append(tunnel.Verdict).Append(" — ").Append(tunnel.Reason).Append('\n');
            foreach (var tag in tunnel.Tags)
                sb.Append("    ").Append(tag.Tag).Append(": ").Append(tag.Result.ToString().ToLowerInvariant()).Append(" (").Append(tag.Reason).Append(")\n");
        }
        return sb.ToString();
    }
}
