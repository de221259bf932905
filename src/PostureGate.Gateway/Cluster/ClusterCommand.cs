// A request one node left for another in pgate_gateway.commands: "clear" deletes the named IKE SA.
namespace PostureGate.Gateway.Cluster;

public sealed record ClusterCommand(long Id, string Verb, string Instance)
{
    public const string Clear = "clear";
}
