// Peer authentication with EAP inside IKE_AUTH (RFC 7296 §2.16): the first response carries the
// gateway's AUTH(PSK) and EAP-Request/Identity, EAP rounds follow, and after EAP-Success the
// peer's AUTH keyed with the MSK completes the round; our last AUTH is keyed with the MSK too.
using PostureGate.Ike.Eap;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Ike.Sa;

namespace PostureGate.Ike.Tasks.Authentication;

/// <param name="processNotifies">Records an EAP round's status notifies (they count before the round's outcome).</param>
/// <param name="secondRound">RFC 4739: EAP is the second round, after the device certificate; our AUTH went out in the first.</param>
/// <param name="tlsPeer">EAP-TLS (RFC 5216) with a client certificate meeting this policy; null: EAP-MSCHAPv2.</param>
internal sealed class EapAuthenticator(IkeTaskContext m, Action<IkeSa, IkeMessage> processNotifies, bool secondRound = false,
    Auth.PeerCertificatePolicy? tlsPeer = null) : IIkeAuthenticator
{
    public AuthStep Process(IkeSa sa, IkeMessage request, bool first)
    {
        if (first)
            return Start(sa, request);
        var auth = request.Find<AuthPayload>();
        if (sa.EapServer is not null && !sa.EapCompleted && request.Find<EapPayload>() is { } eap)
        {
            processNotifies(sa, request);
            return Round(sa, eap);
        }
        if (sa.EapCompleted && auth is not null)
        {
            m.Debug.Sa(sa.LogName, sa.Serial, "responder received AUTH msg");
            m.Debug.Sa(sa.LogName, sa.Serial, $"peer identifier {sa.PeerIdentity}");
            // §2.16: after EAP the AUTH payloads are keyed with the MSK.
            if (!SharedKeyMic.Verify(sa, auth, sa.Msk!))
                return new AuthStep.Failed("EAP AUTH payload did not verify");
            m.Debug.Sa(sa.LogName, sa.Serial, "auth verify done");
            // This message's notifies count only once its AUTH verified (FortiOS logs them after
            // "authentication succeeded", the seed's Example 2).
            return new AuthStep.Verified(NotifiesOf: request);
        }
        return new AuthStep.Failed("unexpected IKE_AUTH round");
    }

    /// <summary>§2.16: no AUTH from the peer ("I want EAP"); we authenticate ourselves with the PSK and ask who it is.</summary>
    private AuthStep Start(IkeSa sa, IkeMessage request)
    {
        if (request.Find<AuthPayload>() is not null)
            return new AuthStep.Failed("peer authenticates with a key but EAP is required");
        // We authenticate first (§2.16): with our certificate when the phase1 signs, else the PSK. In the
        // second round of RFC 4739 we already did, in the first round's response.
        IReadOnlyList<IkePayload> own = [];
        if (!secondRound)
        {
            if (CertificateAuth.OwnOrPsk(sa, out var problem) is not { } ours)
                return new AuthStep.Failed(problem);
            own = ours;
        }
        // A source in its password-guessing backoff gets no EAP round (and costs no password check).
        var source = sa.Remote.Address;
        if (m.LoginThrottle?.SourceRefusal(source) is { } refused)
            return new AuthStep.Failed($"EAP authentication refused: {refused}");
        m.Debug.Sa(sa.LogName, sa.Serial, "responder preparing EAP identity request");
        var throttle = m.LoginThrottle;
        sa.EapServer = tlsPeer is null
            ? new EapServerSession(sa.Config.EapPasswordLookup, sa.LocalIdentity.Text,
                refusal: throttle is null ? null : name => throttle.Refusal(name, source))
            : EapTls.Server(sa, tlsPeer, m.Time);
        var eapRequest = sa.EapServer.Start();
        return new AuthStep.Continue([.. own, new EapPayload(eapRequest)]);
    }

    private AuthStep Round(IkeSa sa, EapPayload eap)
    {
        switch (sa.EapServer!.Process(eap.Message))
        {
            case EapServerStep.Continue c:
                return new AuthStep.Continue([new EapPayload(c.Request)]);
            case EapServerStep.Succeeded s:
                if (sa.EapServer.Identity is { } user)
                    m.LoginThrottle?.Succeeded(user, sa.Remote.Address);
                // EAP-TLS: the certificate the peer proved inside EAP counts as the IKE certificate round's does.
                if (s.PeerCertificate is not null)
                    sa.PeerCertificateVerified(s.PeerCertificate, s.PeerCertificateIssuer!);
                sa.EapSucceeded(s.Msk, sa.EapServer.Identity);
                m.Debug.Sa(sa.LogName, sa.Serial, $"EAP succeeded for user \"{sa.EapIdentity}\"");
                return new AuthStep.Continue([new EapPayload(s.Success)]);
            case EapServerStep.Failed f:
                // §2.16: the EAP failure goes to the peer inside IKE_AUTH; the SA is then useless.
                m.Debug.Sa(sa.LogName, sa.Serial, $"EAP authentication failed: {f.Reason}");
                if (sa.EapServer is EapServerSession { FailedCheckName: { } failedName })
                    m.LoginThrottle?.Failed(failedName, sa.Remote.Address);
                sa.EapUserNamed(sa.EapServer.Identity);
                return new AuthStep.Refused($"EAP authentication failed: {f.Reason}", [new EapPayload(f.Failure)]);
            default:
                throw new InvalidOperationException("unknown EAP server step");
        }
    }

    /// <summary>§2.16: after EAP both final AUTH payloads are keyed with the MSK, whether or not we signed before.</summary>
    public IReadOnlyList<IkePayload>? BuildOwnAuth(IkeSa sa) => [SharedKeyMic.Build(sa, sa.Msk!)];
}
