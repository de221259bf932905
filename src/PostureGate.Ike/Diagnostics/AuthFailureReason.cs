// A fixed, small set of labels for failed IKE authentications (RFC 7296 §2.15 AUTH, §2.16 EAP),
// so a metric's label never carries what a peer chose (its ID, its EAP user) and stays bounded.
namespace PostureGate.Ike.Diagnostics;

public static class AuthFailureReason
{
    /// <summary>The label values, in the order they are checked.</summary>
    public static readonly IReadOnlyList<string> All = ["psk_mismatch", "eap", "peer_id", "gw_match", "auth_method", "no_answer", "protocol"];

    /// <summary>Maps the manager's reason text (IkeAuthFailure.Reason) to one label of <see cref="All"/>.</summary>
    public static string Classify(string reason) => reason switch
    {
        _ when reason.Contains("AUTH payload did not verify", StringComparison.Ordinal) => "psk_mismatch",
        _ when reason.StartsWith("EAP authentication failed", StringComparison.Ordinal) => "eap",
        _ when reason.StartsWith("peer ID ", StringComparison.Ordinal) => "peer_id",
        _ when reason.StartsWith("gw validation failed", StringComparison.Ordinal) => "gw_match",
        _ when reason.Contains("EAP is required", StringComparison.Ordinal) || reason.Contains("EAP is not enabled", StringComparison.Ordinal) => "auth_method",
        _ when reason.StartsWith("no answer after", StringComparison.Ordinal) => "no_answer",
        _ => "protocol",
    };
}
