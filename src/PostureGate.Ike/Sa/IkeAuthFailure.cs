// A peer that failed to authenticate (RFC 7296 §2.21.2: AUTHENTICATION_FAILED, or an EAP
// Failure inside IKE_AUTH, §2.16), as the gateway's log and audit line report it. Everything
// here is what the peer claimed or where it came from: nothing of ours, no secret.
using System.Net;

namespace PostureGate.Ike.Sa;

/// <param name="Phase1">the phase1 the peer tried</param>
/// <param name="Peer">its address and port</param>
/// <param name="PeerId">the IDi it sent, when it got that far</param>
/// <param name="User">the EAP identity it gave, when it got that far</param>
/// <param name="Reason">why, in words an administrator acts on ("AUTH payload did not verify: PSK or ID mismatch")</param>
public sealed record IkeAuthFailure(string Phase1, IPEndPoint Peer, string? PeerId, string? User, string Reason);
