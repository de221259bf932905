// `pgate cert`: a CA and a gateway certificate for IKEv2 with EAP clients (RFC 5280
// profiles built with the BCL's CertificateRequest; no ASN.1 written by hand). The
// gateway certificate carries what native clients check: a SAN with the name (or
// address) they dial, serverAuth (Windows requires it) and the IKE intermediate EKU
// (RFC 4945 §5.1.3.12 lets an IKE peer require it; macOS/iOS accept either).
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PostureGate.Cli.Commands.Cert;

internal static class CertificateFactory
{
    // RFC 5280 §4.2.1.12 id-kp-serverAuth.
    public const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";
    // RFC 4945 §5.1.3.12 iKEIntermediate (id-kp 1.3.6.1.5.5.8.2.2).
    public const string IkeIntermediateOid = "1.3.6.1.5.5.8.2.2";

    /// <summary>A self-signed CA that signs end entities only (basicConstraints cA, pathLen 0; RFC 5280 §4.2.1.9).</summary>
    public static X509Certificate2 CreateCa(string commonName, KeyType keyType, DateTimeOffset now, int days)
    {
        using var key = NewKey(keyType);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(commonName);
        var request = NewRequest(subject.Build(), key);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        // CreateSelfSigned returns the certificate with (a copy of) its key.
        return request.CreateSelfSigned(now.AddDays(-1), now.AddDays(days));
    }

    /// <summary>The gateway's certificate for <paramref name="dnsName"/> and <paramref name="addresses"/>, signed by <paramref name="ca"/>.</summary>
    public static X509Certificate2 CreateGateway(X509Certificate2 ca, string dnsName, IReadOnlyList<IPAddress> addresses, KeyType keyType, DateTimeOffset now, int days)
    {
        using var key = NewKey(keyType);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(dnsName);
        var request = NewRequest(subject.Build(), key);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        // RSA and ECDSA gateway keys only sign in IKE (AUTH payload, RFC 7296 §2.15).
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ServerAuthOid), new Oid(IkeIntermediateOid)], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(dnsName);
        foreach (var a in addresses)
            names.AddIpAddress(a);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        // Never past the CA's own end (RFC 5280 §6.1.3 would refuse the chain then).
        var end = now.AddDays(days);
        if (end > ca.NotAfter.ToUniversalTime())
            end = new DateTimeOffset(ca.NotAfter.ToUniversalTime());
        var generator = ca.GetECDsaPrivateKey() is { } caEc ? X509SignatureGenerator.CreateForECDsa(caEc)
            : X509SignatureGenerator.CreateForRSA(ca.GetRSAPrivateKey() ?? throw new InvalidOperationException("the CA has no private key"), RSASignaturePadding.Pkcs1);
        using var cert = request.Create(ca.SubjectName, generator, now.AddMinutes(-5), end, NewSerial());
        return WithKey(cert, key);
    }

    /// <summary>RFC 5280 §4.1.2.2: positive, at most 20 octets; random so two runs never collide.</summary>
    private static byte[] NewSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x10);
        return serial;
    }

    private static AsymmetricAlgorithm NewKey(KeyType type) => type switch
    {
        KeyType.EcdsaP256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        KeyType.Rsa2048 => RSA.Create(2048),
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    private static CertificateRequest NewRequest(X500DistinguishedName subject, AsymmetricAlgorithm key) => key switch
    {
        ECDsa ec => new CertificateRequest(subject, ec, HashAlgorithmName.SHA256),
        RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        _ => throw new ArgumentOutOfRangeException(nameof(key)),
    };

    private static X509Certificate2 WithKey(X509Certificate2 cert, AsymmetricAlgorithm key) => key switch
    {
        ECDsa ec => cert.CopyWithPrivateKey(ec),
        RSA rsa => cert.CopyWithPrivateKey(rsa),
        _ => throw new ArgumentOutOfRangeException(nameof(key)),
    };
}
