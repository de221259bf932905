// One error value for everything the wire layer rejects, carrying the Notify
// error type the state machine answers with (Kestrel's Http2ConnectionException
// idea, as a value: attacker input never throws). RFC 7296 §2.21 says which
// errors are answered and how; the wire layer only names the code.
namespace PostureGate.Ike.Messages;

/// <summary>
/// A rejected message: the Notify type to report (INVALID_SYNTAX, UNSUPPORTED_CRITICAL_PAYLOAD,
/// INVALID_MAJOR_VERSION …), its Notification Data where the RFC defines one, and a reason for logs.
/// <see cref="None"/> (the default) means success.
/// </summary>
public readonly record struct IkeError(NotifyType Notify, string Reason, byte[]? NotificationData = null)
{
    public static IkeError None => default;

    public bool IsNone => Reason is null;

    /// <summary>RFC 7296 §3.10.1 INVALID_SYNTAX: malformed or semantically invalid message.</summary>
    public static IkeError Syntax(string reason) => new(NotifyType.InvalidSyntax, reason);

    /// <summary>RFC 7296 §2.5/§3.10.1: the notification data is the one-octet payload type.</summary>
    public static IkeError UnsupportedCritical(byte payloadType) =>
        new(NotifyType.UnsupportedCriticalPayload, $"unsupported critical payload type {payloadType}", [payloadType]);

    /// <summary>RFC 7296 §2.5: the data of INVALID_MAJOR_VERSION is not defined; the version sent back is in the header.</summary>
    public static IkeError MajorVersion(int major) =>
        new(NotifyType.InvalidMajorVersion, $"unsupported IKE major version {major}");

    /// <summary>SK/SKF integrity or decryption failure: RFC 7296 §2.21.2 says drop silently, no answer.</summary>
    public static IkeError Integrity(string reason) => new(NotifyType.AuthenticationFailed, reason) { Silent = true };

    /// <summary>True when the RFC says to drop without any answer (e.g. a failed ICV).</summary>
    public bool Silent { get; init; }

    public override string ToString() => IsNone ? "OK" : $"{Notify.IanaName()}: {Reason}";
}
