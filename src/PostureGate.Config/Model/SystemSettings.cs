namespace PostureGate.Config.Model;

/// <summary><c>config system settings</c>: the IKE ports.</summary>
public sealed record SystemSettings : ConfigObject
{
    public required int IkePort { get; init; }
    public required int IkeNattPort { get; init; }
}
