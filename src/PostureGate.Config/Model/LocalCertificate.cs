// config vpn certificate local entry: a certificate and its private key as PEM (FortiOS 7.4 CLI reference).
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PostureGate.Config.Model;

/// <summary>
/// <c>config vpn certificate local</c>: a certificate PostureGate signs with, and its
/// private key (a <see cref="Secret"/>, encrypted PEM opened with <see cref="Password"/>).
/// Checked when the file was loaded: the key belongs to the certificate.
/// </summary>
public sealed record LocalCertificate : ConfigObject, IKeyed
{
    public required string Name { get; init; }
    public required string CertificatePem { get; init; }
    /// <summary>The PEM private key: <c>PRIVATE KEY</c>, <c>EC PRIVATE KEY</c>, <c>RSA PRIVATE KEY</c> or <c>ENCRYPTED PRIVATE KEY</c>.</summary>
    public required Secret PrivateKey { get; init; }
    /// <summary>Opens an <c>ENCRYPTED PRIVATE KEY</c>; null for a clear one.</summary>
    public Secret? Password { get; init; }
    public required CertificateRange Range { get; init; }
    public required CertificateSource Source { get; init; }

    /// <summary>The certificate alone (no key). The caller disposes it.</summary>
    public X509Certificate2 OpenCertificate() => X509Certificate2.CreateFromPem(CertificatePem);

    /// <summary>
    /// The certificate with its private key, for signing. The caller disposes it. Throws
    /// <see cref="CryptographicException"/> when the key does not open or does not match
    /// (never for a configuration that loaded: the loader checked both).
    /// </summary>
    public X509Certificate2 OpenWithPrivateKey() => CertificateKeyLoader.Open(CertificatePem, PrivateKey, Password);

    string IKeyed.Key => Name;
}
