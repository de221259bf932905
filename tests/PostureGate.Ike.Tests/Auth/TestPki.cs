// Certificates for the authentication tests, made with the BCL's CertificateRequest: a CA, an
// intermediate, end entities with chosen names, validity, usages and keys.
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Ike.Tests.Auth;

internal static class TestPki
{
    public static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static X509Certificate2 Ca(string name, AsymmetricAlgorithm? key = null, X509Certificate2? issuer = null,
        DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        key ??= ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = Request("CN=" + name, key);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        req.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(req.PublicKey, false));
        var from = notBefore ?? Now.AddYears(-1);
        var to = notAfter ?? Now.AddYears(5);
        if (issuer is null)
            return req.CreateSelfSigned(from, to);
        using var signed = req.Create(issuer.SubjectName, Generator(issuer), from, to, Serial());
        return Attach(signed, key);
    }

    public sealed record Leaf
    {
        public string Subject { get; init; } = "CN=gateway.example.com";
        public string[] Dns { get; init; } = ["gateway.example.com"];
        public IPAddress[] Ips { get; init; } = [];
        public string[] Emails { get; init; } = [];
        public string[] Uris { get; init; } = [];
        public string[] Ekus { get; init; } = [];
        public bool IsCa { get; init; }
        public X509KeyUsageFlags Usage { get; init; } = X509KeyUsageFlags.DigitalSignature;
        public DateTimeOffset NotBefore { get; init; } = Now.AddDays(-1);
        public DateTimeOffset NotAfter { get; init; } = Now.AddDays(30);
        public byte[]? Serial { get; init; }
    }

    public static X509Certificate2 Issue(X509Certificate2 issuer, Leaf leaf, AsymmetricAlgorithm? key = null)
    {
        key ??= ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = Request(leaf.Subject, key);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var d in leaf.Dns)
            san.AddDnsName(d);
        foreach (var ip in leaf.Ips)
            san.AddIpAddress(ip);
        foreach (var e in leaf.Emails)
            san.AddEmailAddress(e);
        foreach (var u in leaf.Uris)
            san.AddUri(new Uri(u));
        req.CertificateExtensions.Add(san.Build());
        if (leaf.IsCa)
            req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(leaf.Usage, true));
        if (leaf.Ekus.Length > 0)
            req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([.. leaf.Ekus.Select(o => new Oid(o))], false));
        req.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        using var signed = req.Create(issuer.SubjectName, Generator(issuer), leaf.NotBefore, leaf.NotAfter, leaf.Serial ?? Serial());
        return Attach(signed, key);
    }

    public static CertPayload Cert(X509Certificate2 c) => new(CertEncoding.X509Signature, c.RawData);

    private static CertificateRequest Request(string subject, AsymmetricAlgorithm key) => key switch
    {
        RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        ECDsa ec => new CertificateRequest(subject, ec, HashAlgorithmName.SHA256),
        _ => throw new ArgumentException("RSA or ECDSA", nameof(key)),
    };

    /// <summary>The issuer's key signs whatever the subject's key kind (an ECDSA CA may certify an RSA gateway).</summary>
    private static X509SignatureGenerator Generator(X509Certificate2 issuer) =>
        issuer.GetECDsaPrivateKey() is { } ec
            ? X509SignatureGenerator.CreateForECDsa(ec)
            : X509SignatureGenerator.CreateForRSA(issuer.GetRSAPrivateKey()!, RSASignaturePadding.Pkcs1);

    private static X509Certificate2 Attach(X509Certificate2 c, AsymmetricAlgorithm key) => key switch
    {
        RSA rsa => c.CopyWithPrivateKey(rsa),
        ECDsa ec => c.CopyWithPrivateKey(ec),
        _ => throw new ArgumentException("RSA or ECDSA", nameof(key)),
    };

    private static byte[] Serial()
    {
        var serial = RandomNumberGenerator.GetBytes(8);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x10); // positive, no leading zero octet
        return serial;
    }
}
