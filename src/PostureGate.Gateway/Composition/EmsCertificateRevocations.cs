// The revocation check the IKE layer consults for every peer certificate (RFC 7296 §2.15, IRevocationCheck):
// the device certificates each EMS connector learned revoked (issue 10 "Mutual TLS"), matched by issuer key and
// serial (RFC 5280 §5.3). Nothing is fetched mid-handshake; the sets are pushed to the gateway.
using System.Security.Cryptography.X509Certificates;
using PostureGate.Ike.Auth;
using PostureGate.Posture;

namespace PostureGate.Gateway.Composition;

public sealed class EmsCertificateRevocations(IReadOnlyList<EmsConnector> connectors) : IRevocationCheck
{
    public bool IsRevoked(X509Certificate2 certificate, X509Certificate2 issuer)
    {
        if (connectors.Count == 0)
            return false;
        var spki = issuer.PublicKey.ExportSubjectPublicKeyInfo();
        return connectors.Any(c => c.Revocations.IsRevoked(spki, certificate.SerialNumber));
    }

}
