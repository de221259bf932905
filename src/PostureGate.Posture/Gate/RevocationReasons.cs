// The reasons continuous posture enforcement deletes a live tunnel, exactly as audit and debug lines say them — PostureGate's own.
namespace PostureGate.Posture;

/// <summary>
/// Why a live tunnel was deleted: <see cref="TunnelRevoked.Reason"/>, the audit line's `reason`
/// and the gateway's "posture revoked: …" debug line say exactly one of these; the audit line's
/// `tags` add each configured tag's own reason.
/// </summary>
public static class RevocationReasons
{
    /// <summary>Every configured tag's EMS answers from its cache, and none resolves the endpoint any more.</summary>
    public const string TagRemoved = "EMS no longer resolves the endpoint with any configured tag";

    /// <summary>
    /// Some configured tag's EMS cannot answer (lost past out-of-sync-threshold, never synced) and
    /// no valid ZTNA token from the client grants such a tag: none sent, refused, expired, or
    /// without the tag — what a new connection would be refused for at that moment.
    /// </summary>
    public const string EmsCannotVouch = "ZTNA token expired or missing and the EMS cannot vouch for the endpoint";

    /// <summary>The EMS revoked the device certificate the peer authenticated with in IKE_AUTH (`pgate ems endpoint revoke`).</summary>
    public const string CertificateRevoked = "device certificate revoked by the EMS";

    /// <summary>A token the client sent later (INFORMATIONAL) no longer carries a tag that the EMS cannot vouch for.</summary>
    public const string TokenTagsChanged = "token tags no longer match";
}
