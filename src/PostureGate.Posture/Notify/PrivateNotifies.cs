// The IKEv2 notify types PostureGate exchanges with FortiClient-style clients, in one table
// (documented in docs/protocol.md). RFC 7296 §3.10.1: 8192–16383 are private-use error types,
// 40960–65535 private-use status types.
//
// Observed: FortiClient sends FORTICLIENT_CONNECT as status type 0xF100 (what independent
// FortiClient-compatible clients send). The numbers FortiOS uses for ZTNA_TAG,
// EMS_ZTNA_TAGS_CHECK_SUCCESS and the tags check failure are not public: the values below are
// PostureGate's own choices inside the private-use ranges, so a real FortiClient will not
// recognise them; our own initiator and gateway agree on them.
namespace PostureGate.Posture;

public static class PrivateNotifies
{
    /// <summary>Status, IKE_AUTH request: the KEY=value body (<see cref="FortiClientConnectBody"/>).</summary>
    public const ushort FortiClientConnect = 0xF100;

    /// <summary>Status, IKE_AUTH or INFORMATIONAL request: the EMS-signed JWT (ASCII), PostureGate's number.</summary>
    public const ushort ZtnaTag = 0xF101;

    /// <summary>Status, IKE_AUTH response: the posture was proven by the token (empty body), PostureGate's number.</summary>
    public const ushort EmsZtnaTagsCheckSuccess = 0xF102;

    /// <summary>Error, IKE_AUTH response: no configured tag resolved the endpoint, PostureGate's number.</summary>
    public const ushort ZtnaTagsCheckFailure = 0x3F00;

    /// <summary>
    /// Status, beside a refusal in the IKE_AUTH response or in an INFORMATIONAL request before the
    /// Delete of a revoked tunnel: why, in words the user can act on (<see cref="PostureReasonBody"/>).
    /// Only ever sent to a peer that authenticated. PostureGate's number.
    /// </summary>
    public const ushort PostureReason = 0xF103;

    public const ushort PrivateErrorFirst = 8192;
    public const ushort PrivateErrorLast = 16383;
    public const ushort PrivateStatusFirst = 40960;

    /// <summary>FortiOS debug name of a type, or null when not one of ours.</summary>
    public static string? NameOf(ushort type) => type switch
    {
        FortiClientConnect => "FORTICLIENT_CONNECT",
        ZtnaTag => "ZTNA_TAG",
        EmsZtnaTagsCheckSuccess => "EMS_ZTNA_TAGS_CHECK_SUCCESS",
        ZtnaTagsCheckFailure => "ZTNA_TAGS_CHECK_FAILURE",
        PostureReason => "POSTURE_REASON",
        _ => null,
    };

    /// <summary>The FORTICLIENT_CONNECT and ZTNA_TAG bodies among received notifies (the first of each; the IKE layer adapts its notify type).</summary>
    public static (ReadOnlyMemory<byte>? FortiClientConnect, ReadOnlyMemory<byte>? ZtnaTag) Pick(IEnumerable<(ushort Type, byte[] Data)> notifies)
    {
        ReadOnlyMemory<byte>? fct = null, token = null;
        foreach (var (type, data) in notifies)
        {
            if (type == FortiClientConnect)
                fct ??= data;
            else if (type == ZtnaTag)
                token ??= data;
        }
        return (fct, token);
    }
}
