// FortiOS CLI reference, `config firewall policy`: one policy by id (interfaces, addresses, services, action).
namespace PostureGate.Config.Model;

/// <summary><c>config firewall policy</c> entry (by id).</summary>
public sealed record FirewallPolicy : ConfigObject, IKeyed
{
    public required long Id { get; init; }
    public string? Name { get; init; }
    public string? Uuid { get; init; }
    public required ValueList<INamedInterface> SourceInterfaces { get; init; }
    public required ValueList<INamedInterface> DestinationInterfaces { get; init; }
    public required ValueList<AddressObject> SourceAddresses { get; init; }
    public required ValueList<AddressObject> DestinationAddresses { get; init; }
    public required PolicyAction Action { get; init; }
    /// <summary>Only the predefined <c>always</c> exists here.</summary>
    public required string Schedule { get; init; }
    public required ValueList<FirewallService> Services { get; init; }
    public required bool Nat { get; init; }
    public required bool Enabled { get; init; }
    public string? Comments { get; init; }

    string IKeyed.Key => Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
