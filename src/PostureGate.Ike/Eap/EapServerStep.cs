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

    /// <summary>
    /// EAP-Success, and the MSK that keys the final AUTH payloads (RFC 7296 §2.16); with EAP-TLS also the
    /// validated end-entity certificate the peer proved its key for (RFC 5216 §5.3) and its issuer (for revocation checks).
    /// </summary>
    public sealed record Succeeded(byte[] Success, byte[] Msk, System.Security.Cryptography.X509Certificates.X509Certificate2? PeerCertificate = null,
        System.Security.Cryptography.X509Certificates.X509Certificate2? PeerCertificateIssuer = null) : EapServerStep;

    /// <summary>EAP-Failure; <paramref name="Reason"/> is for the log and never holds a password.</summary>
    public sealed record Failed(byte[] Failure, string Reason) : EapServerStep;
}
