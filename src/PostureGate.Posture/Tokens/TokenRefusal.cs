// Why a ZTNA tag token (JWS compact, RFC 7515 §7.1; JWT claims, RFC 7519 §4.1; cnf, RFC 7800 §3.1) was refused, as audit and debug lines name it.
namespace PostureGate.Posture;

/// <summary>Why a ZTNA tag token was refused; each name is what the audit line and debug log say.</summary>
public enum TokenRefusal
{
    None,
    Empty,
    TooLarge,
    NotThreeParts,
    BadBase64,
    BadJson,
    BadShape,
    AlgorithmNotAllowed,
    MissingKid,
    UnknownKid,
    BadSignature,
    MissingExpiry,
    Expired,
    IssuedInFuture,
    UidMismatch,
    OlderThanAccepted,
    /// <summary>`cnf` is there but not an object holding one well-formed `x5t#S256` (RFC 7800 §3.1, RFC 8705 §3.1).</summary>
    BadConfirmation,
    /// <summary>No `cnf`, and the phase1 requires a bound token (ztna-token-binding enable).</summary>
    Unbound,
    /// <summary>Bound to a certificate this IKE SA did not prove (another one, or none).</summary>
    BindingMismatch,
}
