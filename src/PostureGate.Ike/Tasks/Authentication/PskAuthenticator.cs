// Peer authentication with the phase1's pre-shared key (RFC 7296 §2.15): the first IKE_AUTH
// request carries AUTH(PSK) and completes the round; the gateway answers with its own AUTH(PSK).
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Ike.Sa;

namespace PostureGate.Ike.Tasks.Authentication;

internal sealed class PskAuthenticator(IkeTaskContext m) : IIkeAuthenticator
{
    public AuthStep Process(IkeSa sa, IkeMessage request, bool first)
    {
        if (!first)
            return new AuthStep.Failed("unexpected IKE_AUTH round");
        if (request.Find<AuthPayload>() is not { } auth)
            return new AuthStep.Failed("no AUTH payload and EAP is not enabled");
        if (!SharedKeyMic.Verify(sa, auth, sa.Config.Psk))
            return new AuthStep.Failed("AUTH payload did not verify: PSK or ID mismatch");
        m.Debug.Sa(sa.LogName, sa.Serial, "auth verify done");
        return new AuthStep.Verified();
    }

    public IReadOnlyList<IkePayload>? BuildOwnAuth(IkeSa sa) => [SharedKeyMic.Build(sa, sa.Config.Psk)];
}
