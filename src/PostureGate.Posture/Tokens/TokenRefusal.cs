// Why a ZTNA tag token (JWS compact, RFC 7515 §7.1; JWT claims, RFC 7519 §4.1) was refused, as audit and debug lines name it.
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
}
