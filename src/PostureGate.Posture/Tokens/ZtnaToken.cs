// The verified content of an EMS ZTNA tag token. Shape (seed, Example 2, payload decoded):
// {"endpoint":{"uid":"F8A6…","tags":[{"name":"a","type":1,"levl":null},…],"nwifs":null,
//  "ztna_cert_sn":"B09D…","owner":null},"exp":1769761387,"iat":1769757787}
namespace PostureGate.Posture;

public readonly record struct ZtnaTokenTag(string Name, int Type);

public sealed record ZtnaToken(
    string Uid,
    IReadOnlyList<ZtnaTokenTag> Tags,
    string? ZtnaCertSn,
    DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresAt,
    string Kid,
    int ConnectorId)
{
    /// <summary>
    /// Every connector that pinned the signing key: one EMS can stand behind several fctems
    /// entries (FortiOS allows it; `pgate up` does it), and its token speaks for each of them.
    /// </summary>
    public IReadOnlyList<int> ConnectorIds { get; init; } = [ConnectorId];

    /// <summary>RFC 7800 §3.1 `cnf` / RFC 8705 §3.1 `x5t#S256`: the device certificate the token is bound to; null when unbound.</summary>
    public byte[]? BoundCertificateSha256 { get; init; }

    /// <summary>Token tag `a` from connector n matches dynamic address `EMSn_ZTNA_a`; a classification
    /// tag (type 3, the seed's "Low") matches `EMSn_CLASS_Low` only.</summary>
    public bool Matches(DynamicAddressName name)
    {
        if (!ConnectorIds.Contains(name.ConnectorId))
            return false;
        foreach (var tag in Tags)
        {
            if (string.Equals(tag.Name, name.Tag, StringComparison.Ordinal) && DynamicAddressName.KindOfType(tag.Type) == name.Kind)
                return true;
        }
        return false;
    }
}

/// <summary>The outcome of verifying one token: the token, or the reason it was refused.</summary>
public readonly record struct TokenVerification(ZtnaToken? Token, TokenRefusal Refusal, string? Detail = null)
{
    public bool IsValid => Token is not null && Refusal == TokenRefusal.None;

    public static TokenVerification Refused(TokenRefusal refusal, string? detail = null) => new(null, refusal, detail);
}
