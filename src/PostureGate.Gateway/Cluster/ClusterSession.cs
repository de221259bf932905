// One row of the session registry: who is connected where (`diagnose vpn ike gateway list --cluster`).
namespace PostureGate.Gateway.Cluster;

public sealed record ClusterSession(string Node, string Instance, string Phase1, string? User, string? Uid, string? VirtualIp,
    string Remote, DateTimeOffset Since);
