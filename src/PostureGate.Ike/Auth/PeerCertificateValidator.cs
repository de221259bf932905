// RFC 7296 §3.6 / RFC 4945 §5: checking the certificates a peer sent in CERT payloads before its
// AUTH signature is believed. The first CERT is the end-entity certificate, the rest intermediates
// (§3.6 "the first certificate provided MUST contain the public key used to verify the AUTH field").
// Path building and signature checks are the BCL's X509Chain with CustomRootTrust: only the phase1's
// CAs anchor a chain, nothing is downloaded, revocation comes from pushed serial sets (IRevocationCheck).
// Then the stated ID must be one the certificate vouches for (CertificateIdentityMatch).
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Ike.Auth;

/// <summary>
/// The verdict on a peer's certificates: when accepted, the end-entity certificate, its issuer (the next certificate
/// up the chain, a copy the caller owns like the end entity) and the configured anchor; else why not.
/// </summary>
public sealed record CertificateValidation(string? Failure, X509Certificate2? EndEntity = null, X509Certificate2? Authority = null,
    X509Certificate2? Issuer = null)
{
    public bool Accepted => Failure is null;
}

public sealed class PeerCertificateValidator(PeerCertificatePolicy policy, TimeProvider time)
{
    /// <summary>Validates the peer's <paramref name="certificates"/> for the identity it stated (<paramref name="idType"/>, <paramref name="idData"/>).</summary>
    public CertificateValidation Validate(IReadOnlyList<CertPayload> certificates, IdType idType, ReadOnlySpan<byte> idData)
    {
        if (certificates.Count == 0)
            return Refused("no CERT payload");
        if (certificates[0].Encoding != CertEncoding.X509Signature)
            return Refused($"first CERT is {certificates[0].Encoding}, not an X.509 certificate");
        if (certificates.Count > policy.MaxChainLength)
            return Refused($"{certificates.Count} certificates, more than a chain of {policy.MaxChainLength} needs");
        if (!TryLoad(certificates[0].Data, out var leaf))
            return Refused("end-entity certificate is not a readable X.509 certificate");
        // What the peer sent is parsed per handshake: free it here rather than leave it to the finalizer,
        // the leaf too unless it is handed out with the verdict.
        var intermediates = new X509Certificate2Collection();
        try
        {
            var verdict = Validate(leaf!, certificates, intermediates, idType, idData);
            if (!verdict.Accepted)
                leaf!.Dispose();
            return verdict;
        }
        finally
        {
            foreach (var intermediate in intermediates)
                intermediate.Dispose();
        }
    }

    private CertificateValidation Validate(X509Certificate2 leaf, IReadOnlyList<CertPayload> certificates,
        X509Certificate2Collection intermediates, IdType idType, ReadOnlySpan<byte> idData)
    {
        foreach (var cert in certificates.Skip(1).Where(c => c.Encoding == CertEncoding.X509Signature))
        {
            if (!TryLoad(cert.Data, out var intermediate))
                return Refused("intermediate certificate is not readable");
            intermediates.Add(intermediate!);
        }
        if (EndEntityProblem(leaf!) is { } problem)
            return Refused(problem);

        using var chain = new X509Chain();
        var p = chain.ChainPolicy;
        p.TrustMode = X509ChainTrustMode.CustomRootTrust;
        foreach (var ca in policy.TrustedAuthorities)
            p.CustomTrustStore.Add(ca);
        p.ExtraStore.AddRange(intermediates);
        p.RevocationMode = X509RevocationMode.NoCheck;
        p.DisableCertificateDownloads = true;
        p.VerificationTime = time.GetUtcNow().UtcDateTime;
        if (!chain.Build(leaf!))
            return Refused(ChainFailure(chain, leaf!));
        var elements = chain.ChainElements;
        if (elements.Count > policy.MaxChainLength)
            return Refused($"chain of {elements.Count} certificates, longer than {policy.MaxChainLength}");
        for (var i = 0; i + 1 < elements.Count; i++)
        {
            var cert = elements[i].Certificate;
            var issuer = elements[i + 1].Certificate;
            if (policy.Revocations.Any(r => r.IsRevoked(cert, issuer)))
                return Refused($"certificate serial {cert.SerialNumber} ({cert.Subject}) is revoked");
        }
        var anchor = elements[^1].Certificate;
        var authority = policy.TrustedAuthorities.First(ca => ca.RawDataMemory.Span.SequenceEqual(anchor.RawDataMemory.Span));
        if (!CertificateIdentityMatch.Matches(idType, idData, leaf!))
            return Refused($"the peer's ID ({idType}) is not a name in its certificate ({leaf!.Subject})");
        // A chain of one: the end entity is itself the configured anchor (self-signed), its own issuer.
        var leafIssuer = X509CertificateLoader.LoadCertificate(elements[Math.Min(1, elements.Count - 1)].Certificate.RawDataMemory.Span);
        return new CertificateValidation(null, leaf, authority, leafIssuer);
    }

    /// <summary>RFC 4945 §5.1.3: an end entity signs (keyUsage digitalSignature/nonRepudiation when present), is no CA, and has the required EKUs.</summary>
    private string? EndEntityProblem(X509Certificate2 leaf)
    {
        foreach (var ext in leaf.Extensions)
        {
            switch (ext)
            {
                case X509BasicConstraintsExtension { CertificateAuthority: true }:
                    return $"end-entity certificate {leaf.Subject} is a CA certificate";
                case X509KeyUsageExtension ku when (ku.KeyUsages & (X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation)) == 0:
                    return $"certificate {leaf.Subject} may not sign (keyUsage {ku.KeyUsages})";
            }
        }
        if (policy.RequiredSubject is { } subject
            && !string.Equals(new X500DistinguishedName(subject).Name, leaf.SubjectName.Name, StringComparison.OrdinalIgnoreCase))
            return $"certificate subject {leaf.Subject} is not the peer's {subject}";
        if (policy.RequiredCommonName is { } cn
            && !string.Equals(cn, leaf.GetNameInfo(X509NameType.SimpleName, false),
                policy.CommonNameIgnoresCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
            return $"certificate {leaf.Subject} does not carry the peer's CN {cn}";
        if (policy.RequiredExtendedKeyUsages.Count == 0)
            return null;
        var listed = leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>()
            .SelectMany(e => e.EnhancedKeyUsages.Cast<Oid>()).Select(o => o.Value).ToHashSet(StringComparer.Ordinal);
        var missing = policy.RequiredExtendedKeyUsages.FirstOrDefault(oid => !listed.Contains(oid));
        return missing is null ? null : $"certificate {leaf.Subject} lacks extended key usage {missing}";
    }

    private static string ChainFailure(X509Chain chain, X509Certificate2 leaf)
    {
        var flags = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (f, s) => f | s.Status);
        var why = flags switch
        {
            _ when flags.HasFlag(X509ChainStatusFlags.Cyclic) => "its chain loops",
            _ when flags.HasFlag(X509ChainStatusFlags.NotTimeValid) => "it or its chain is expired or not yet valid",
            _ when flags.HasFlag(X509ChainStatusFlags.NotSignatureValid) => "a signature in its chain is invalid",
            _ when flags.HasFlag(X509ChainStatusFlags.UntrustedRoot) || flags.HasFlag(X509ChainStatusFlags.PartialChain) =>
                "it does not chain to a configured CA",
            _ => flags.ToString(),
        };
        return $"certificate {leaf.Subject} refused: {why}";
    }

    private static bool TryLoad(byte[] der, out X509Certificate2? certificate)
    {
        try
        {
            certificate = X509CertificateLoader.LoadCertificate(der);
            return true;
        }
        catch (CryptographicException)
        {
            certificate = null;
            return false;
        }
    }

    private static CertificateValidation Refused(string reason) => new(reason);
}
