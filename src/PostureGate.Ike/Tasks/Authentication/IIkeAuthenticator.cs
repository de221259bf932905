// One round of authenticating the peer in IKE_AUTH (charon's authenticator_t): RFC 7296 §2.15
// AUTH payloads, §2.16 EAP. A new method (certificates) is a new class; RFC 4739 multiple
// authentication adds rounds, each with its own authenticator, without touching IkeAuth.
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Ike.Sa;

namespace PostureGate.Ike.Tasks.Authentication;

internal interface IIkeAuthenticator
{
    /// <summary>
    /// The peer's IKE_AUTH request of this round (the first one: IDi was read and checked already):
    /// verified, another message needed, or failed.
    /// </summary>
    AuthStep Process(IkeSa sa, IkeMessage request, bool first);

    /// <summary>
    /// Our authentication for the response that completes the round (§2.15): AUTH, after our CERTs when we sign;
    /// null when we cannot authenticate to this peer (no signature scheme it accepts).
    /// </summary>
    IReadOnlyList<IkePayload>? BuildOwnAuth(IkeSa sa);
}

/// <summary>What one authentication round made of a request.</summary>
internal abstract record AuthStep
{
    private AuthStep()
    {
    }

    /// <summary>The round goes on (EAP): these payloads answer the request; IKE_AUTH adds IDr to its first response.</summary>
    public sealed record Continue(IReadOnlyList<IkePayload> Response) : AuthStep;

    /// <summary>The peer proved who it is; <paramref name="NotifiesOf"/>'s status notifies count only now (they came with the proof).</summary>
    public sealed record Verified(IkeMessage? NotifiesOf = null) : AuthStep;

    /// <summary>§2.21.2: the notify in the response, and the SA goes.</summary>
    public sealed record Failed(string Reason, NotifyType Notify = NotifyType.AuthenticationFailed) : AuthStep;

    /// <summary>Refused inside the method that ran (EAP-Failure, §2.16): this response; the SA stays until its negotiation times out.</summary>
    public sealed record Refused(string Reason, IReadOnlyList<IkePayload> Response) : AuthStep;
}
