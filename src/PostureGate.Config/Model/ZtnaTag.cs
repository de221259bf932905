// One phase1 `remote-gw-ztna-tags` entry, `EMS<n>_ZTNA_<tag>` (FortiOS CLI reference), split into connector n and tag, resolved.
namespace PostureGate.Config.Model;

/// <summary>
/// One <c>remote-gw-ztna-tags</c> entry, <c>EMS&lt;n&gt;_ZTNA_&lt;tag&gt;</c>, split and resolved:
/// the EMS connector n and, when the configuration declares it, the dynamic address.
/// </summary>
public sealed record ZtnaTag : ConfigObject
{
    public required string Name { get; init; }
    public required int EmsId { get; init; }
    /// <summary>The tag as the EMS names it (the part after <c>_ZTNA_</c>).</summary>
    public required string Tag { get; init; }
    public required FctEms Ems { get; init; }
    public FirewallAddress? Address { get; init; }
}
