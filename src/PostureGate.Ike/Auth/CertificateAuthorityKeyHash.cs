// RFC 7296 §3.7: a CERTREQ for X.509 names each trusted CA by the SHA-1 hash of its
// SubjectPublicKeyInfo (the whole DER element, as strongSwan and Windows compute it), and a
// responder sends the certificate chaining to a CA the initiator asked for (§3.6).
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Ike.Auth;

public static class CertificateAuthorityKeyHash
{
    /// <summary>SHA-1 of the certificate's DER SubjectPublicKeyInfo.</summary>
    public static byte[] Of(X509Certificate2 ca) => SHA1.HashData(ca.PublicKey.ExportSubjectPublicKeyInfo());

    /// <summary>One CERTREQ naming <paramref name="authorities"/>.</summary>
    public static CertReqPayload Request(IEnumerable<X509Certificate2> authorities) =>
        new(CertEncoding.X509Signature, [.. authorities.SelectMany(Of)]);

    /// <summary>True when one of <paramref name="requests"/> (X.509 ones; others ignored) names <paramref name="ca"/>.</summary>
    public static bool IsRequested(IEnumerable<CertReqPayload> requests, X509Certificate2 ca)
    {
        var hash = Of(ca);
        return requests.Where(r => r.Encoding == CertEncoding.X509Signature)
            .SelectMany(r => r.KeyHashes())
            .Any(h => h.Span.SequenceEqual(hash));
    }
}
