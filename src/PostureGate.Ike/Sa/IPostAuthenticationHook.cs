// The extension point between authentication and authorisation (FortiOS: "authentication
// succeeded" → "EMS SN check passed" → "EMS ZTNA tags check success" → "responder creating
// new child"). Called after AUTH (PSK, or EAP + MSK AUTH) verified, BEFORE the CP lease and
// the CHILD_SA. Async: the responder keeps serving other SAs while a decision is pending.
using System.Net;
using PostureGate.Ike.Config;

namespace PostureGate.Ike.Sa;

public interface IPostAuthenticationHook
{
    ValueTask<PostAuthenticationDecision> OnAuthenticatedAsync(PostAuthenticationContext context, CancellationToken cancellationToken);
}

/// <summary>A notify as received (RFC 7296 §3.10), including private-use types (≥ 40960 for errors, ≥ 16384 status).</summary>
public sealed record ReceivedNotify(ushort Type, byte ProtocolId, byte[] Spi, byte[] Data);

/// <summary>A notify to add to a response (status type, data).</summary>
public sealed record NotifyToSend(ushort Type, byte[] Data);

public sealed record PostAuthenticationContext(
    string PeerConfigName,
    string InstanceName,
    long Serial,
    IPEndPoint PeerEndpoint,
    IkeIdentity PeerIdentity,
    string? EapIdentity,
    IReadOnlyList<ReceivedNotify> Notifies,
    IReadOnlyList<byte[]> VendorIds,
    Action<string> Debug)
{
    /// <summary>Lets the hook publish the FortiClient UID shown by `diagnose vpn ike gateway list`.</summary>
    public Action<string>? SetFortiClientUid { get; init; }

    /// <summary>The UID of the device certificate the peer authenticated with (DeviceCertificateUid), null when none.</summary>
    public string? DeviceCertificateUid { get; init; }

    /// <summary>
    /// SHA-256 of the DER of the certificate whose key the peer proved in this IKE SA
    /// (<see cref="IkeSa.PeerCertificate"/>), null when it proved none: what a token bound with
    /// RFC 7800 cnf / RFC 8705 x5t#S256 must name.
    /// </summary>
    public byte[]? PeerCertificateSha256 { get; init; }

    /// <summary>Lines about the tunnel instance rather than this IKE SA ("ike V=root:0:dialup_0: …"), as FortiOS prints its token verdicts.</summary>
    public Action<string>? TunnelDebug { get; init; }
}

public abstract record PostAuthenticationDecision
{
    private PostAuthenticationDecision() { }

    public sealed record Allow(IReadOnlyList<NotifyToSend> ExtraNotifies) : PostAuthenticationDecision;

    /// <summary>The IKE_AUTH response carries this error notify (and <see cref="StatusNotifies"/>); the IKE SA is then deleted.</summary>
    public sealed record Deny(ushort NotifyType, byte[] NotifyData, string Reason) : PostAuthenticationDecision
    {
        /// <summary>Status notifies beside the error (why, for the user: the peer has authenticated, RFC 7296 §3.10.1 private use).</summary>
        public IReadOnlyList<NotifyToSend> StatusNotifies { get; init; } = [];

        /// <summary>The text of FortiOS's "Negotiate SA Error: …" line; null prints <see cref="Reason"/>.</summary>
        public string? Error { get; init; }

        /// <summary>Debug lines written as the refusal is sent ("sending IKE_AUTH ZTNA TAGS check failure notification response").</summary>
        public IReadOnlyList<string> Sending { get; init; } = [];
    }

    public static Allow Allowed { get; } = new Allow([]);
}

/// <summary>Always allows (no posture gate configured).</summary>
public sealed class AllowAllPostAuthenticationHook : IPostAuthenticationHook
{
    public static AllowAllPostAuthenticationHook Instance { get; } = new();

    public ValueTask<PostAuthenticationDecision> OnAuthenticatedAsync(PostAuthenticationContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult<PostAuthenticationDecision>(PostAuthenticationDecision.Allowed);
}
