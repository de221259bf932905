// config vpn certificate ca entry: a trust anchor as PEM (FortiOS 7.4 CLI reference).
using System.Security.Cryptography.X509Certificates;

namespace PostureGate.Config.Model;

/// <summary>
/// <c>config vpn certificate ca</c>: a CA certificate, checked when the file was loaded
/// (PEM, one certificate, a CA). Kept as its PEM text so equality is by content; open it
/// with <see cref="OpenCertificate"/> (the caller disposes the result).
/// </summary>
public sealed record CaCertificate : ConfigObject, IKeyed
{
    public required string Name { get; init; }
    public required string Pem { get; init; }
    public required CertificateRange Range { get; init; }
    public required CertificateSource Source { get; init; }

    public X509Certificate2 OpenCertificate() => X509Certificate2.CreateFromPem(Pem);

    string IKeyed.Key => Name;
}
