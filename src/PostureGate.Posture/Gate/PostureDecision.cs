// The posture gate's verdict for one IKE_AUTH (allow with notifies, or deny with an error notify, RFC 7296 §3.10.1) and its tag checks.
namespace PostureGate.Posture;

/// <summary>Where the tag that admitted an endpoint came from.</summary>
public enum PostureSource
{
    None,
    /// <summary>The EMS, synced or asked live.</summary>
    Ems,
    /// <summary>Tags cached from an EMS lost less than out-of-sync-threshold ago.</summary>
    Cache,
    /// <summary>The client's EMS-signed JWT, while the EMS was unreachable.</summary>
    Token,
}

public readonly record struct PostureNotify(ushort Type, byte[] Data);

public abstract record PostureDecision
{
    private PostureDecision() { }

    public required IReadOnlyList<string> DebugLines { get; init; }
    /// <summary>FORTICLIENT_CONNECT's UID (for `diagnose vpn ike gateway list`: "FortiClient UID").</summary>
    public string? Uid { get; init; }
    public IReadOnlyList<TagCheck> Checks { get; init; } = [];

    /// <summary><paramref name="MatchedTag"/> is the full dynamic address name, null when the tunnel has no ztna match.</summary>
    public sealed record Allow(string? MatchedTag, PostureSource Source, IReadOnlyList<PostureNotify> Notifies) : PostureDecision;

    /// <summary>The IKE_AUTH response carries only the error notify; then the IKE SA is deleted.</summary>
    public sealed record Deny(string Reason, ushort NotifyType, byte[] NotifyData) : PostureDecision
    {
        /// <summary>What the user is told (POSTURE_REASON); null when nothing is sent (the SA went away).</summary>
        public PostureReason? UserReason { get; init; }
    }
}

public enum TagCheckResult
{
    Matched,
    NotMatched,
    /// <summary>The EMS could not answer for this tag (down, slow, garbage): the token may decide.</summary>
    Unreachable,
    Invalid,
}

/// <summary>One configured tag tried against the endpoint, with why it did or didn't resolve it.</summary>
public sealed record TagCheck(string Tag, TagCheckResult Result, PostureSource Source, string Reason);

/// <summary>Raised when a live tunnel's endpoint no longer holds any acceptable tag.</summary>
public sealed record TunnelRevoked(string Tunnel, string Instance, string? Uid, string Reason)
{
    /// <summary>What the user is told before the Delete (POSTURE_REASON in an INFORMATIONAL).</summary>
    public PostureReason? UserReason { get; init; }
}
