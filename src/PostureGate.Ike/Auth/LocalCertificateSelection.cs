// RFC 7296 §3.7 / §2.15: which of a phase1's local certificates (FortiOS `set certificate "a" "b"`,
// up to four) to authenticate with — the first whose chain reaches a CA the peer named in a CERTREQ
// (SHA-1 hashes of SubjectPublicKeyInfo), else the first configured, as FortiOS does.
using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Ike.Auth;

public static class LocalCertificateSelection
{
    /// <summary>The certificate to send; <paramref name="candidates"/> must not be empty. CERTREQs of other encodings are ignored.</summary>
    public static LocalCertificateCredential Choose(IReadOnlyList<LocalCertificateCredential> candidates, IEnumerable<CertReqPayload> requests)
    {
        ArgumentOutOfRangeException.ThrowIfZero(candidates.Count);
        if (candidates.Count == 1)
            return candidates[0];
        var requested = new List<ReadOnlyMemory<byte>>();
        foreach (var request in requests)
        {
            if (request.Encoding == CertEncoding.X509Signature)
                requested.AddRange(request.KeyHashes());
        }
        foreach (var candidate in candidates)
        {
            foreach (var issuer in candidate.IssuerKeyHashes)
            {
                foreach (var hash in requested)
                {
                    if (hash.Span.SequenceEqual(issuer))
                        return candidate;
                }
            }
        }
        return candidates[0];
    }
}
