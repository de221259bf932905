// The certificate a PostureGate side authenticates with (RFC 7296 §2.15, §3.6): the end-entity
// certificate with its private key, the intermediates up to (not including) the anchor, the ID it
// states by default, and the CERT payloads to send — the end-entity one first (§3.6), then the
// intermediates. Native clients (Windows, Apple, strongSwan's app) match the ID against the SAN of
// the name they dial, so the default ID is the certificate's first DNS name. The CAs above it
// (intermediates, and the anchor when known) are kept as CERTREQ key hashes (§3.7), so that a
// phase1 with several certificates can send the one the peer asked for (LocalCertificateSelection).
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PostureGate.Ike.Config;
using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Ike.Auth;

public sealed class LocalCertificateCredential
{
    private readonly AsymmetricAlgorithm _key;

    /// <param name="anchors">The CAs above the chain that are not sent (the trust anchor): named in CERTREQs like the intermediates.</param>
    public LocalCertificateCredential(X509Certificate2 certificate, IReadOnlyList<X509Certificate2>? intermediates = null,
        IReadOnlyList<X509Certificate2>? anchors = null)
    {
        _key = (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey() ?? certificate.GetRSAPrivateKey()
            ?? throw new ArgumentException($"certificate {certificate.Subject} has no RSA or ECDSA private key", nameof(certificate));
        Certificate = certificate;
        Intermediates = intermediates ?? [];
        IssuerKeyHashes = [.. Intermediates.Concat(anchors ?? []).Select(CertificateAuthorityKeyHash.Of)];
    }

    public X509Certificate2 Certificate { get; }
    public IReadOnlyList<X509Certificate2> Intermediates { get; }

    /// <summary>RFC 7296 §3.7: the SHA-1 SubjectPublicKeyInfo hashes of the CAs this certificate chains to (computed once, reused by every SA).</summary>
    public IReadOnlyList<byte[]> IssuerKeyHashes { get; }

    /// <summary>ID_FQDN of the first SAN DNS name, else the subject as ID_DER_ASN1_DN (RFC 4945 §3.1); read from the certificate once, used by every SA.</summary>
    public IkeIdentity DefaultIdentity => field ??=
        CertificateNames.DnsNames(Certificate).FirstOrDefault() is { } dns
            ? IkeIdentity.Fqdn(dns)
            : new IkeIdentity(IdType.DerAsn1Dn, Certificate.SubjectName.RawData);

    /// <summary>§3.6: the end-entity certificate first, then the intermediates (built once: every SA sends the same).</summary>
    public IReadOnlyList<CertPayload> CertPayloads() => _certPayloads ??=
        [new(CertEncoding.X509Signature, Certificate.RawData), .. Intermediates.Select(i => new CertPayload(CertEncoding.X509Signature, i.RawData))];

    private IReadOnlyList<CertPayload>? _certPayloads;

    /// <summary>Our AUTH over <paramref name="signedOctets"/>, in a scheme the peer announced (RFC 7427 §4), or null when none fits our key.</summary>
    public AuthPayload? Sign(ReadOnlySpan<byte> signedOctets, IReadOnlyCollection<SignatureHashAlgorithm> peerHashes, bool preferPss = false) =>
        SignatureAuth.Choose(_key, peerHashes, preferPss) is { } scheme ? SignatureAuth.Sign(_key, scheme, signedOctets) : null;

    public override string ToString() => $"certificate {Certificate.Subject}";
}
