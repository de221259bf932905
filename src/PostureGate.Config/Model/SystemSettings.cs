// FortiOS CLI reference, `config system settings`: the IKE ports (ike-port, ike-natt-port) as the model holds them.
namespace PostureGate.Config.Model;

/// <summary><c>config system settings</c>: the IKE ports.</summary>
public sealed record SystemSettings : ConfigObject
{
    public required int IkePort { get; init; }
    public required int IkeNattPort { get; init; }
}
