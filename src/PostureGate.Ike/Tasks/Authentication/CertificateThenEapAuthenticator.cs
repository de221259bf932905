// RFC 4739 multiple authentication: the device proves itself with its certificate, then the user
// with EAP (strongSwan's remote-1/remote-2; FortiOS `eap-cert-auth enable`):
//   (IKE_SA_INIT response: N(MULTIPLE_AUTH_SUPPORTED))
//   req 1  IDi CERT AUTH(sig) SA TSi TSr N(MULTIPLE_AUTH_SUPPORTED) N(ANOTHER_AUTH_FOLLOWS)
//                                                                   rsp 1  IDr CERT AUTH(sig) (or AUTH(PSK))
//   req 2  IDi(user)                                                rsp 2  EAP(Request/Identity)
//   … EAP rounds …  req n  AUTH(MSK)                                rsp n  AUTH(MSK) CP SA TSi TSr
// Both rounds are required: a peer that announces no second round is refused (§2: the responder
// decides when authentication is complete).
using PostureGate.Ike.Auth;
using PostureGate.Ike.Config;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Ike.Sa;

namespace PostureGate.Ike.Tasks.Authentication;

internal sealed class CertificateThenEapAuthenticator(IkeTaskContext m, PeerCertificatePolicy policy, EapAuthenticator eap) : IIkeAuthenticator
{
    private bool _certificateVerified;
    private bool _eapStarted;

    public AuthStep Process(IkeSa sa, IkeMessage request, bool first)
    {
        if (first)
            return CertificateRound(sa, request);
        if (!_certificateVerified)
            return new AuthStep.Failed("unexpected IKE_AUTH round");
        if (_eapStarted)
            return eap.Process(sa, request, first: false);
        // §2: the second round names its own identity; its AUTH (after EAP) is computed over this IDi.
        if (request.FindAll<IdPayload>().FirstOrDefault(p => p.Type == PayloadType.IdInitiator) is not { } idi)
            return new AuthStep.Failed("second authentication round without IDi", NotifyType.InvalidSyntax);
        sa.PeerIdentified(new IkeIdentity(idi.IdType, idi.Data), idi.EncodeBody());
        m.Debug.Sa(sa.LogName, sa.Serial, $"peer identifier {idi} (second authentication round)");
        _eapStarted = true;
        return eap.Process(sa, request, first: true);
    }

    private AuthStep CertificateRound(IkeSa sa, IkeMessage request)
    {
        // RFC 4739 §3: the initiator announces MULTIPLE_AUTH_SUPPORTED in this request and that a round follows.
        if (!request.HasNotify(NotifyType.MultipleAuthSupported) || !request.HasNotify(NotifyType.AnotherAuthFollows))
            return new AuthStep.Failed("the phase1 wants a device certificate, then EAP (RFC 4739): no ANOTHER_AUTH_FOLLOWS");
        if (!CertificateAuth.VerifyPeer(sa, request, policy, m.Time, out var reason))
            return new AuthStep.Failed(reason);
        m.Debug.Sa(sa.LogName, sa.Serial, $"certificate {sa.PeerCertificate!.Subject} verified, EAP round follows");
        if (CertificateAuth.OwnOrPsk(sa, out var problem) is not { } own)
            return new AuthStep.Failed(problem);
        _certificateVerified = true;
        return new AuthStep.Continue(own);
    }

    public IReadOnlyList<IkePayload>? BuildOwnAuth(IkeSa sa) => eap.BuildOwnAuth(sa);
}
