// `diagnose vpn ike gateway list --cluster` (PostureGate's own; FortiOS has no cluster-wide list):
// every node of the gateway cluster with its sessions from the registry, or the same as JSON.
using System.Globalization;
using System.Text;
using System.Text.Json;
using PostureGate.Gateway.Cluster;

namespace PostureGate.Gateway.Diagnose;

internal static class ClusterGatewayList
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>One `node …` line per node, then one indented line per session; <paramref name="now"/> dates them.</summary>
    public static string Format(IReadOnlyList<ClusterNodeLoad> nodes, IReadOnlyList<ClusterSession> sessions, DateTimeOffset now)
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        foreach (var n in nodes)
        {
            var state = !n.Alive ? " (no heartbeat)" : n.Draining ? " (draining)" : "";
            text.Append(c, $"node {n.Name} {(n.Address.Length > 0 ? n.Address : "-")}: {n.Sessions} session(s){state}\n");
            foreach (var s in sessions.Where(s => s.Node == n.Name))
            {
                text.Append(c, $"  name: {s.Instance}  phase1: {s.Phase1}  user: {s.User ?? "-"}  uid: {s.Uid ?? "-"}  vip: {s.VirtualIp ?? "-"}")
                    .Append(c, $"  peer: {s.Remote}  created: {Math.Max(0, (long)(now - s.Since).TotalSeconds)}s ago\n");
            }
        }
        return text.ToString();
    }

    public static string FormatJson(IReadOnlyList<ClusterNodeLoad> nodes, IReadOnlyList<ClusterSession> sessions) =>
        JsonSerializer.Serialize(nodes.Select(n => new { n.Name, n.Address, n.Alive, n.Draining, Sessions = sessions.Where(s => s.Node == n.Name) }), Json);
}
