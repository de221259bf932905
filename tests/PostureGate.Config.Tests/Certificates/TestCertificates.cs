// Certificates made at test time with the BCL (CertificateRequest), for the configuration tests.
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PostureGate.Config.Tests.Certificates;

/// <summary>A CA, a gateway certificate under it (ECDSA and RSA), an expired certificate and an unrelated key, as PEM.</summary>
internal sealed class TestCertificates
{
    public static TestCertificates Instance { get; } = new();

    private TestCertificates()
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caReq = new CertificateRequest("CN=Test Root, O=PostureGate Tests", caKey, HashAlgorithmName.SHA256);
        caReq.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caReq.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caReq.CreateSelfSigned(now.AddDays(-1), now.AddYears(5));
        CaPem = ca.ExportCertificatePem();

        using var ecKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        GatewayEcPem = Issue(ca, caKey, new CertificateRequest("CN=vpn.example.com", ecKey, HashAlgorithmName.SHA256), now, now.AddYears(1), 1);
        GatewayEcKeyPem = ecKey.ExportPkcs8PrivateKeyPem();

        using var rsaKey = RSA.Create(2048);
        GatewayRsaPem = Issue(ca, caKey, new CertificateRequest("CN=vpn.example.com", rsaKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), now, now.AddYears(1), 2);
        GatewayRsaEncryptedKeyPem = rsaKey.ExportEncryptedPkcs8PrivateKeyPem("key-password",
            new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 10000));

        using var expiredKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        ExpiredPem = Issue(ca, caKey, new CertificateRequest("CN=old.example.com", expiredKey, HashAlgorithmName.SHA256), now.AddYears(-2), now.AddYears(-1), 3);
        ExpiredKeyPem = expiredKey.ExportPkcs8PrivateKeyPem();

        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        OtherEcKeyPem = other.ExportPkcs8PrivateKeyPem();
    }

    public string CaPem { get; }
    public string GatewayEcPem { get; }
    public string GatewayEcKeyPem { get; }
    public string GatewayRsaPem { get; }
    public string GatewayRsaEncryptedKeyPem { get; }
    public string ExpiredPem { get; }
    public string ExpiredKeyPem { get; }
    public string OtherEcKeyPem { get; }

    private static string Issue(X509Certificate2 ca, ECDsa caKey, CertificateRequest req, DateTimeOffset from, DateTimeOffset to, byte serial)
    {
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        // The generator overload signs an RSA subject key with the CA's ECDSA key.
        using var cert = req.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), from, to, [serial, 0x10, 0x20]);
        return cert.ExportCertificatePem();
    }
}
