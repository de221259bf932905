// `--node-name`: a gateway's name in the cluster (PostureGate's own; default the host name). It is
// shown in `diagnose … list --cluster` and names the node a command is for, so it stays printable.
namespace PostureGate.Gateway.Cluster;

public static class ClusterNodeName
{
    public const string Rule = "1-63 letters, digits, '.', '-' or '_'";

    public static bool IsValid(string name) =>
        name.Length is > 0 and <= 63 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_');
}
