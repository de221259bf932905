// Certificates for the certificate interop tests, made at test time with the BCL: a CA (ECDSA P-256)
// and end entities it signs, as PEM for pgate's configuration and strongSwan's files.
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PostureGate.Interop.Tests.Lab;

public static class LabCertificates
{
    public static (X509Certificate2 Cert, ECDsa Key) Ca(string name)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        req.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(req.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return (req.CreateSelfSigned(now.AddDays(-1), now.AddYears(1)), key);
    }

    /// <summary>
    /// An end-entity certificate from <paramref name="ca"/> (PEM certificate, PKCS#8 PEM key): SAN DNS name, URI and/or IP address,
    /// digitalSignature, and the serverAuth EKU Windows wants of a gateway when <paramref name="serverAuth"/>.
    /// </summary>
    public static (string CertificatePem, string KeyPem) Issue((X509Certificate2 Cert, ECDsa Key) ca, string subject,
        string? dns = null, string? uri = null, bool rsa = false, bool serverAuth = false, System.Net.IPAddress? ip = null)
    {
        using AsymmetricAlgorithm key = rsa ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = key is RSA r
            ? new CertificateRequest(subject, r, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest(subject, (ECDsa)key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        if (dns is not null)
            san.AddDnsName(dns);
        if (uri is not null)
            san.AddUri(new Uri(uri));
        if (ip is not null)
            san.AddIpAddress(ip);
        req.CertificateExtensions.Add(san.Build());
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        if (serverAuth)
            req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        req.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca.Cert, true, false));
        var now = DateTimeOffset.UtcNow;
        using var cert = req.Create(ca.Cert.SubjectName, X509SignatureGenerator.CreateForECDsa(ca.Key), now.AddDays(-1), now.AddDays(90),
            RandomNumberGenerator.GetBytes(8));
        var keyPem = key is RSA rk ? rk.ExportPkcs8PrivateKeyPem() : ((ECDsa)key).ExportPkcs8PrivateKeyPem();
        return (cert.ExportCertificatePem(), keyPem);
    }
}
