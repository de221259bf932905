// RFC 7296 §2.15 authentication by certificate, both directions of one IKE SA:
//   ours:   [CERT (end entity), CERT (intermediates)…] AUTH(signature over our signed octets)
//   peer's: its CERTs validated against the phase1's peer policy and the ID it stated (§3.6,
//           RFC 4945 §3.1), then its AUTH verified with the end-entity certificate's key.
// The signed octets are the shared-key ones (RealMessage | Nonce(peer) | prf(SK_px, IDx')).
using PostureGate.Ike.Auth;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Ike.Sa;

namespace PostureGate.Ike.Tasks.Authentication;

internal static class CertificateAuth
{
    /// <summary>True when the gateway authenticates itself with a certificate (`authmethod signature`).</summary>
    public static bool Signs(IkeSa sa) => sa.Config.LocalCertificates.Count > 0;

    /// <summary>Our CERT payloads and AUTH, or null (with <paramref name="problem"/>) when our key can sign in no scheme the peer accepts.</summary>
    public static IReadOnlyList<IkePayload>? Own(IkeSa sa, out string problem)
    {
        var credential = sa.LocalCertificate ?? sa.Config.LocalCertificates[0];
        var octets = sa.Keys!.SignedOctets(sa.IsInitiator ? sa.InitRequest : sa.InitResponse,
            sa.IsInitiator ? sa.NonceR : sa.NonceI, sa.LocalIdBody, ofInitiator: sa.IsInitiator);
        if (credential.Sign(octets, sa.PeerSignatureHashes) is not { } auth)
        {
            problem = $"{credential} cannot sign with a hash the peer announced";
            return null;
        }
        problem = "";
        return [.. credential.CertPayloads(), auth];
    }

    /// <summary>Our authentication for a response: by certificate when configured, else the PSK (§2.15).</summary>
    public static IReadOnlyList<IkePayload>? OwnOrPsk(IkeSa sa, out string problem)
    {
        if (Signs(sa))
            return Own(sa, out problem);
        problem = "";
        return [SharedKeyMic.Build(sa, sa.Config.Psk)];
    }

    /// <summary>
    /// The peer's certificates and signature in <paramref name="message"/>, checked against <paramref name="policy"/>
    /// for the identity in <c>sa.PeerIdBody</c>. On success the certificate is the SA's <see cref="IkeSa.PeerCertificate"/>.
    /// </summary>
    public static bool VerifyPeer(IkeSa sa, IkeMessage message, PeerCertificatePolicy policy, TimeProvider time, out string reason)
    {
        if (message.Find<AuthPayload>() is not { } auth)
        {
            reason = "no AUTH payload for the certificate round";
            return false;
        }
        var validation = new PeerCertificateValidator(policy, time)
            .Validate([.. message.FindAll<CertPayload>()], sa.PeerIdentity!.Type, sa.PeerIdentity.Data);
        if (!validation.Accepted)
        {
            reason = validation.Failure!;
            return false;
        }
        var octets = sa.Keys!.SignedOctets(sa.IsInitiator ? sa.InitResponse : sa.InitRequest,
            sa.IsInitiator ? sa.NonceI : sa.NonceR, sa.PeerIdBody, ofInitiator: !sa.IsInitiator);
        if (!SignatureAuth.Verify(auth, validation.EndEntity!, octets, out reason))
        {
            validation.EndEntity!.Dispose();
            validation.Issuer!.Dispose();
            return false;
        }
        sa.PeerCertificateVerified(validation.EndEntity!, validation.Issuer!);
        reason = "";
        return true;
    }
}
