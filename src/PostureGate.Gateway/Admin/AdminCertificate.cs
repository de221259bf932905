// The certificate the admin console presents over TLS: the `vpn certificate local` that
// `config system global` `admin-server-cert` names, or else a self-signed ECDSA P-256 one made at
// first start and kept owner-only in <data>/admin.pfx (FortiOS presents its own factory
// certificate the same way). Admins check it by the SHA-256 fingerprint logged at start.
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PostureGate.Config.Model;

namespace PostureGate.Gateway.Admin;

internal static class AdminCertificate
{
    public const string FileName = "admin.pfx";

    /// <summary>The configured certificate, or the generated one (made now when there is none).</summary>
    public static X509Certificate2 Open(LocalCertificate? configured, string dataDirectory, IEnumerable<IPAddress> listen)
    {
        if (configured is not null)
            return configured.OpenWithPrivateKey();
        var path = Path.Combine(dataDirectory, FileName);
        if (!File.Exists(path))
        {
            var pfx = SelfSigned(listen);
            try
            {
                OwnerOnlyFile.Replace(path, pfx);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(pfx);
            }
        }
        return X509CertificateLoader.LoadPkcs12FromFile(path, password: null, X509KeyStorageFlags.EphemeralKeySet);
    }

    /// <summary>SHA-256 of the DER certificate as AA:BB:… (what a browser's certificate viewer and `openssl x509 -fingerprint -sha256` show).</summary>
    public static string Fingerprint(X509Certificate2 certificate) =>
        Convert.ToHexString(SHA256.HashData(certificate.RawData)).Chunk(2).Aggregate("", (s, pair) => s.Length == 0 ? new string(pair) : s + ":" + new string(pair));

    private static byte[] SelfSigned(IEnumerable<IPAddress> listen)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=PostureGate gateway console", key, HashAlgorithmName.SHA256);
        // RFC 6125 §6.4.4: browsers match the name in the address bar against the SAN only.
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddDnsName(Dns.GetHostName());
        foreach (var address in listen.Append(IPAddress.Loopback).Append(IPAddress.IPv6Loopback).Distinct())
            names.AddIpAddress(address);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        // RFC 5280 §4.2.1.12 id-kp-serverAuth.
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(5));
        return certificate.Export(X509ContentType.Pkcs12);
    }
}
