// What the IKE state machine does with one EAP response, as the authenticator
// (RFC 7296 §2.16): send another request, finish with EAP-Success and the MSK
// for the AUTH payload, or finish with EAP-Failure.
namespace PostureGate.Ike.Eap;

public abstract record EapServerStep
{
    private EapServerStep()
    {
    }

    /// <summary>The next EAP request, for the next IKE_AUTH response.</summary>
    public sealed record Continue(byte[] Request) : EapServerStep;

    /// <summary>EAP-Success, and the MSK that keys the final AUTH payloads (RFC 7296 §2.16).</summary>
    public sealed record Succeeded(byte[] Success, byte[] Msk) : EapServerStep;

    /// <summary>EAP-Failure; <paramref name="Reason"/> is for the log and never holds a password.</summary>
    public sealed record Failed(byte[] Failure, string Reason) : EapServerStep;
}
