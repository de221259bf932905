// A complete, valid PostureGate configuration from a FortiOS CLI file, every reference resolved; equality by content — PostureGate's own.
using PostureGate.Config.Binding;

namespace PostureGate.Config.Model;

/// <summary>
/// A complete, valid PostureGate configuration. Built only from a file with no
/// errors; every reference in it is resolved. Equality is by content (not by
/// source position), so parse(print(x)) equals x.
/// </summary>
public sealed class GatewayConfig : IEquatable<GatewayConfig>
{
    public required string FileName { get; init; }
    public required SystemGlobal Global { get; init; }
    public required SystemSettings Settings { get; init; }
    public required DnsSettings Dns { get; init; }
    public required NamedTable<SystemInterface> Interfaces { get; init; }
    public required NamedTable<FirewallAddress> Addresses { get; init; }
    public required NamedTable<AddressGroup> AddressGroups { get; init; }
    public required NamedTable<FirewallPolicy> Policies { get; init; }
    public required NamedTable<CaCertificate> CaCertificates { get; init; }
    public required NamedTable<LocalCertificate> LocalCertificates { get; init; }
    public required NamedTable<LocalUser> LocalUsers { get; init; }
    public required NamedTable<UserPeer> UserPeers { get; init; }
    public required NamedTable<UserGroup> UserGroups { get; init; }
    public required NamedTable<FctEms> FctEms { get; init; }
    public required NamedTable<Phase1Interface> Phase1Interfaces { get; init; }
    public required NamedTable<Phase2Interface> Phase2Interfaces { get; init; }

    /// <summary>The checked source the printer writes back; null for a hand-built model.</summary>
    internal BoundDocument? Source { get; init; }

    /// <summary>An address or group by name, including the predefined <c>all</c>.</summary>
    public AddressObject? FindAddress(string name) =>
        name == "all" ? FirewallAddress.All : (AddressObject?)Addresses.Find(name) ?? AddressGroups.Find(name);

    /// <summary>A system interface, a phase1-interface, or <c>any</c>.</summary>
    public INamedInterface? FindInterface(string name) =>
        name == "any" ? AnyInterface.Instance : (INamedInterface?)Interfaces.Find(name) ?? Phase1Interfaces.Find(name);

    /// <summary>The phase2 entries of a phase1.</summary>
    public IEnumerable<Phase2Interface> Phase2Of(Phase1Interface phase1) => Phase2Interfaces.Where(p => p.Phase1.Name == phase1.Name);

    /// <summary>The policies whose srcintf includes the tunnel (what its dial-up clients may reach).</summary>
    public IEnumerable<FirewallPolicy> PoliciesFrom(INamedInterface intf) =>
        Policies.Where(p => p.SourceInterfaces.Any(i => i.Name == intf.Name || i is AnyInterface));

    public bool Equals(GatewayConfig? other) =>
        other is not null &&
        Global.Equals(other.Global) && Settings.Equals(other.Settings) && Dns.Equals(other.Dns) &&
        Interfaces.Equals(other.Interfaces) && Addresses.Equals(other.Addresses) &&
        AddressGroups.Equals(other.AddressGroups) && Policies.Equals(other.Policies) &&
        CaCertificates.Equals(other.CaCertificates) && LocalCertificates.Equals(other.LocalCertificates) &&
        LocalUsers.Equals(other.LocalUsers) && UserPeers.Equals(other.UserPeers) && UserGroups.Equals(other.UserGroups) &&
        FctEms.Equals(other.FctEms) && Phase1Interfaces.Equals(other.Phase1Interfaces) &&
        Phase2Interfaces.Equals(other.Phase2Interfaces);

    public override bool Equals(object? obj) => Equals(obj as GatewayConfig);

    public override int GetHashCode() => HashCode.Combine(Interfaces, Addresses, Policies, Phase1Interfaces, Phase2Interfaces);
}
