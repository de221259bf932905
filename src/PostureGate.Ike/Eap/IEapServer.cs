// The EAP server (authenticator) side of one method run inside IKE_AUTH (RFC 7296 §2.16,
// RFC 3748 §4): EAP-MSCHAPv2 (EapServerSession) or EAP-TLS (Tls/EapTlsServerSession).
namespace PostureGate.Ike.Eap;

public interface IEapServer : IDisposable
{
    /// <summary>The identity the peer gave, and once the method has verified it, the verified one.</summary>
    string? Identity { get; }

    /// <summary>The first EAP request: Request/Identity (RFC 3748 §5.1).</summary>
    byte[] Start();

    /// <summary>Handles one EAP response from the peer; never throws on peer input.</summary>
    EapServerStep Process(ReadOnlySpan<byte> eapResponse);
}
