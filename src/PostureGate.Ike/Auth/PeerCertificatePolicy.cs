// What a peer's certificate must satisfy (RFC 7296 §2.15, RFC 4945 §5): the CAs it may chain to —
// those configured, never the system store — the extended key usages required of it, the revocation
// sets to consult, and how long a chain may be.
using System.Security.Cryptography.X509Certificates;

namespace PostureGate.Ike.Auth;

public sealed record PeerCertificatePolicy
{
    /// <summary>The trust anchors: the phase1's CA certificates only (FortiOS `config user peer` `ca`).</summary>
    public required IReadOnlyList<X509Certificate2> TrustedAuthorities { get; init; }

    /// <summary>EKU OIDs the end-entity certificate must list itself (e.g. 1.3.6.1.5.5.7.3.2 clientAuth); empty: none required.</summary>
    public IReadOnlyList<string> RequiredExtendedKeyUsages { get; init; } = [];

    public IReadOnlyList<IRevocationCheck> Revocations { get; init; } = [];

    /// <summary>FortiOS `config user peer` `subject`: the end-entity subject DN, compared in its string form (RFC 4514), any case.</summary>
    public string? RequiredSubject { get; init; }

    /// <summary>FortiOS `config user peer` `cn`: the subject CN; compared any case when <see cref="CommonNameIgnoresCase"/> (cn-type email/FQDN).</summary>
    public string? RequiredCommonName { get; init; }

    public bool CommonNameIgnoresCase { get; init; }

    /// <summary>Certificates from end entity to anchor, inclusive. RFC 7296 §3.6 lets a peer send up to four CERTs plus the anchor.</summary>
    public int MaxChainLength { get; init; } = 5;
}
