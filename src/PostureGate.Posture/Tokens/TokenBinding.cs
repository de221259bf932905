// Token binding (RFC 7800 §3.1 `cnf` with RFC 8705 §3.1 `x5t#S256`): a ZTNA tag token the EMS bound
// to a device certificate counts only for the peer that proved that certificate's key in this IKE
// SA. Requiring a binding (phase1 `ztna-token-binding enable`) is PostureGate's own extension.
using System.Security.Cryptography;

namespace PostureGate.Posture;

/// <summary>
/// What this IKE SA proved, and whether the phase1 requires a bound token.
/// <paramref name="ProvenCertificateSha256"/>: SHA-256 of the DER of the certificate whose key the
/// peer proved (a certificate AUTH round, or EAP-TLS); null when it proved none.
/// </summary>
public readonly record struct TokenBinding(byte[]? ProvenCertificateSha256, bool Required)
{
    /// <summary>RFC 8705 §3.1: the x5t#S256 value is 32 octets.</summary>
    public const int ThumbprintLength = 32;

    /// <summary>
    /// A token's confirmation (<paramref name="x5tS256"/>, null when it has no `cnf`) against this SA:
    /// an unbound token counts unless a binding is required; a bound one only for the certificate it names.
    /// </summary>
    public TokenRefusal Check(byte[]? x5tS256, out string? detail)
    {
        detail = null;
        if (x5tS256 is null)
        {
            if (!Required)
                return TokenRefusal.None;
            detail = "the token has no cnf, and ztna-token-binding enable requires one";
            return TokenRefusal.Unbound;
        }
        if (ProvenCertificateSha256 is not { } proven)
        {
            detail = "the token is bound to a device certificate, and this IKE SA proved none";
            return TokenRefusal.BindingMismatch;
        }
        // Both are public values; the constant-time compare costs nothing and leaves no question.
        if (!CryptographicOperations.FixedTimeEquals(proven, x5tS256))
        {
            detail = "the token is bound to another device certificate than the one this IKE SA proved";
            return TokenRefusal.BindingMismatch;
        }
        return TokenRefusal.None;
    }

    /// <summary>The binding value of a certificate: SHA-256 of its DER (RFC 8705 §3.1).</summary>
    public static byte[] ThumbprintOf(ReadOnlySpan<byte> certificateDer) => SHA256.HashData(certificateDer);
}
