// One node of the gateway cluster as the fleet sees it: what a redirect (RFC 5685) needs to pick
// the least loaded node: its IKE address, its live session count, whether it drains, whether alive.
namespace PostureGate.Gateway.Cluster;

public sealed record ClusterNodeLoad(string Name, string Address, int Sessions, bool Draining, bool Alive, DateTimeOffset Heartbeat);
