// The EMS's HTTPS certificate: self-signed ECDSA P-256, made on first start with
// CertificateRequest and kept in <data>/server.pfx (owner-only). Gateways pin it by
// fingerprint, so it needs no CA; its names still cover localhost and the host name. It does
// not name the EMS serial: every TLS peer sees this certificate before any authentication.
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PostureGate.Ems.Storage;

namespace PostureGate.Ems.Tls;

internal static class ServerCertificate
{
    public const string FileName = "server.pfx";

    public static X509Certificate2 LoadOrCreate(string dataDirectory, IEnumerable<string> extraNames)
    {
        var path = Path.Combine(dataDirectory, FileName);
        if (!File.Exists(path))
        {
            var pfx = Create(extraNames);
            try
            {
                PrivateFile.WriteAtomically(path, pfx);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(pfx);
            }
        }
        return X509CertificateLoader.LoadPkcs12FromFile(path, password: null, X509KeyStorageFlags.EphemeralKeySet);
    }

    private static byte[] Create(IEnumerable<string> extraNames)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=PostureGate EMS", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        foreach (var name in extraNames.Append(Dns.GetHostName()).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (IPAddress.TryParse(name, out var address))
                names.AddIpAddress(address);
            else if (Uri.CheckHostName(name) == UriHostNameType.Dns)
                names.AddDnsName(name);
        }
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
        return certificate.Export(X509ContentType.Pkcs12);
    }
}
