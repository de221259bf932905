// config user peer entry: which certificates a peer may present (FortiOS 7.4 CLI reference "config user peer").
namespace PostureGate.Config.Model;

/// <summary>
/// <c>config user peer</c>: a certificate peer. Its certificate must chain to <see cref="Ca"/>;
/// when set, its subject must equal <see cref="Subject"/> and it must carry the common name
/// <see cref="Cn"/> (compared as <see cref="CnType"/> says: case-insensitively for e-mail and FQDN).
/// </summary>
public sealed record UserPeer : ConfigObject, IKeyed
{
    public required string Name { get; init; }
    public required CaCertificate Ca { get; init; }
    /// <summary>A distinguished name as written (checked to parse as one).</summary>
    public string? Subject { get; init; }
    public string? Cn { get; init; }
    public required PeerCnType CnType { get; init; }

    string IKeyed.Key => Name;
}
