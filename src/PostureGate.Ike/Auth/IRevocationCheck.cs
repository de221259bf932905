// Revocation as PostureGate learns it: not from CRL/OCSP fetched mid-handshake (a peer could make the
// gateway fetch from anywhere), but from sets pushed to it — the EMS endpoint CA's revocations arrive
// over the connector's push stream (issue 10 "Mutual TLS").
using System.Security.Cryptography.X509Certificates;

namespace PostureGate.Ike.Auth;

public interface IRevocationCheck
{
    /// <summary>True when <paramref name="certificate"/>, issued by <paramref name="issuer"/>, is revoked.</summary>
    bool IsRevoked(X509Certificate2 certificate, X509Certificate2 issuer);
}
