// RFC 5216 inside RFC 7296 §2.16: the EAP-TLS server of one IKE SA. Its TLS certificate is the
// gateway's (the one it signs IKE_AUTH with, which the peer checks against IDr), and the client
// certificate is validated exactly as the IKE certificate round validates one — same policy, same
// revocations — for the IDi the peer stated, so the ID the AUTH payloads cover is one the
// certificate vouches for (RFC 4945 §3.1).
using PostureGate.Ike.Auth;
using PostureGate.Ike.Eap.Tls;
using PostureGate.Ike.Sa;

namespace PostureGate.Ike.Tasks.Authentication;

internal static class EapTls
{
    public static EapTlsServerSession Server(IkeSa sa, PeerCertificatePolicy policy, TimeProvider time)
    {
        var identity = sa.PeerIdentity!;
        var validator = new PeerCertificateValidator(policy, time);
        return new EapTlsServerSession(sa.Config.LocalCertificates[0], policy,
            certificates => validator.Validate(certificates, identity.Type, identity.Data));
    }
}
