// The endpoint CA (issue 10, "Device identity"): made on the EMS's first start in its key vault
// — endpoint-ca.key (PKCS#8 PEM) and endpoint-ca.crt (PEM): owner-only files in the data
// directory, or sealed rows every node of a PostgreSQL EMS shares — and used to sign each
// endpoint's CSR and to check the client certificates of the client API.
// Certificates follow RFC 5280 profiles built with the BCL (CertificateRequest, X509Chain);
// no ASN.1 is written by hand.
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PostureGate.Ems.Storage;

namespace PostureGate.Ems.Enrollment;

public sealed class EndpointCertificateAuthority : IDisposable
{
    public const string CertificateFileName = "endpoint-ca.crt";
    public const string KeyFileName = "endpoint-ca.key";
    // RFC 5280 §4.2.1.12 id-kp-clientAuth.
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";
    // RFC 5280 §4.1.2.2: at most 20 octets; positive.
    private const int SerialBytes = 20;

    private EndpointCertificateAuthority(X509Certificate2 certificate) => Certificate = certificate;

    /// <summary>The CA certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    public string CertificatePem => Certificate.ExportCertificatePem();

    /// <summary>
    /// How gateways tell this CA's serials from another's (RFC 5280 §5.3: a serial is unique per issuer): the
    /// lower-case hex SHA-256 of its DER SubjectPublicKeyInfo, in the snapshot beside the revoked serials.
    /// </summary>
    public string KeyId => Convert.ToHexStringLower(SHA256.HashData(Certificate.PublicKey.ExportSubjectPublicKeyInfo()));

    /// <summary>Loads the CA from <paramref name="dataDirectory"/>, making it on first use. The key
    /// is written first and the certificate last, so a half-made CA (no certificate) is made again;
    /// nothing can have been signed by it.</summary>
    internal static EndpointCertificateAuthority LoadOrCreate(EmsStore store)
    {
        var vault = store.Keys;
        if (vault.Read(CertificateFileName) is null)
        {
            // Under the store's writer lock: two nodes starting at once make one CA.
            using var connection = store.Database.Open();
            using var tx = store.Database.Dialect.BeginWrite(connection);
            if (vault.Read(CertificateFileName, connection, tx) is null)
                Create(vault, connection, tx, store.Time.GetUtcNow());
            tx.Commit();
        }
        var certificatePem = vault.Read(CertificateFileName)
            ?? throw new InvalidOperationException($"{vault.Describe(CertificateFileName)} is missing");
        var keyPem = vault.Read(KeyFileName) ?? throw new InvalidOperationException($"{vault.Describe(KeyFileName)} is missing");
        var keyText = System.Text.Encoding.ASCII.GetString(keyPem).ToCharArray();
        try
        {
            var certificate = X509Certificate2.CreateFromPem(System.Text.Encoding.ASCII.GetString(certificatePem), keyText);
            if (!certificate.HasPrivateKey || certificate.GetECDsaPrivateKey() is null)
            {
                certificate.Dispose();
                throw new InvalidOperationException($"{vault.Describe(KeyFileName)} does not hold the private key of {vault.Describe(CertificateFileName)}");
            }
            return new EndpointCertificateAuthority(certificate);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keyPem);
            CryptographicOperations.ZeroMemory(System.Runtime.InteropServices.MemoryMarshal.AsBytes(keyText.AsSpan()));
        }
    }

    private static void Create(KeyVault vault, System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction tx, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        // A random suffix tells two EMSes' CAs apart; not the EMS serial, which issuer names would spread.
        subject.AddCommonName($"PostureGate EMS endpoint CA {Convert.ToHexString(RandomNumberGenerator.GetBytes(4))}");
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        // RFC 5280 §4.2.1.9: a CA that signs only end entities (path length 0).
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(20));
        var keyPem = System.Text.Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem());
        try
        {
            vault.Write(KeyFileName, keyPem, connection, tx);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keyPem);
        }
        vault.Write(CertificateFileName, System.Text.Encoding.ASCII.GetBytes(certificate.ExportCertificatePem()), connection, tx);
    }

    /// <summary>A fresh serial: 20 random octets, top bit clear and top octet non-zero so the DER
    /// INTEGER keeps all 20 (the hex is the token's `ztna_cert_sn`).</summary>
    public static byte[] NewSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(SerialBytes);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x10);
        return serial;
    }

    /// <summary>Signs an endpoint certificate for <paramref name="uid"/> over <paramref name="publicKey"/>
    /// (taken from a CSR whose signature was checked).</summary>
    public X509Certificate2 Issue(string uid, PublicKey publicKey, byte[] serial, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var request = new CertificateRequest(EndpointCertificateName.SubjectOf(uid), publicKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ClientAuthOid)], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddUri(EndpointCertificateName.UriOf(uid));
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(publicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        // Never past the CA's own end (RFC 5280 §6.1.3 would reject the chain then).
        var end = notAfter < Certificate.NotAfter ? notAfter : new DateTimeOffset(Certificate.NotAfter.ToUniversalTime());
        return request.Create(Certificate, notBefore, end, serial);
    }

    /// <summary>Checks that <paramref name="certificate"/> is an endpoint certificate of this CA,
    /// valid at <paramref name="now"/>; the reason says why not. Revocation is the store's.</summary>
    public bool TryValidate(X509Certificate2 certificate, DateTimeOffset now, out string reason)
    {
        if (now < certificate.NotBefore.ToUniversalTime())
        {
            reason = $"the client certificate is not valid before {certificate.NotBefore.ToUniversalTime():u}";
            return false;
        }
        if (now > certificate.NotAfter.ToUniversalTime())
        {
            reason = $"the client certificate expired at {certificate.NotAfter.ToUniversalTime():u}; enroll again";
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(ClientAuthOid));
        chain.ChainPolicy.DisableCertificateDownloads = true;
        if (!chain.Build(certificate) || chain.ChainElements.Count != 2
            || !chain.ChainElements[1].Certificate.RawDataMemory.Span.SequenceEqual(Certificate.RawDataMemory.Span))
        {
            reason = "the client certificate is not issued by this EMS's endpoint CA";
            return false;
        }
        reason = "";
        return true;
    }

    public void Dispose() => Certificate.Dispose();
}
