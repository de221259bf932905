// What PostureGate's own initiator does with one EAP request (RFC 7296 §2.16).
namespace PostureGate.Ike.Eap;

public abstract record EapPeerStep
{
    private EapPeerStep()
    {
    }

    /// <summary>The EAP response to send in the next IKE_AUTH request.</summary>
    public sealed record Respond(byte[] Response) : EapPeerStep;

    /// <summary>EAP-Success after a verified MS-CHAPv2 exchange; the MSK for the AUTH payload.</summary>
    public sealed record Succeeded(byte[] Msk) : EapPeerStep;

    /// <summary>Authentication is over and failed; the reason is for the log.</summary>
    public sealed record Failed(string Reason) : EapPeerStep;
}
