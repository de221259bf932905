// Peer authentication with a certificate (RFC 7296 §2.15, FortiOS `authmethod signature` with a
// `peer`): the first IKE_AUTH request carries IDi, CERT(s) and AUTH(signature) and completes the round;
// we answer with our own CERT and signature (or the PSK where the phase1 does not sign).
using PostureGate.Ike.Auth;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Ike.Sa;

namespace PostureGate.Ike.Tasks.Authentication;

internal sealed class CertificateAuthenticator(IkeTaskContext m, PeerCertificatePolicy policy) : IIkeAuthenticator
{
    public AuthStep Process(IkeSa sa, IkeMessage request, bool first)
    {
        if (!first)
            return new AuthStep.Failed("unexpected IKE_AUTH round");
        if (!CertificateAuth.VerifyPeer(sa, request, policy, m.Time, out var reason))
            return new AuthStep.Failed(reason);
        m.Debug.Sa(sa.LogName, sa.Serial, $"certificate {sa.PeerCertificate!.Subject} verified");
        m.Debug.Sa(sa.LogName, sa.Serial, "auth verify done");
        return new AuthStep.Verified();
    }

    public IReadOnlyList<IkePayload>? BuildOwnAuth(IkeSa sa) => CertificateAuth.OwnOrPsk(sa, out _);
}
