// HTTP handlers trusting one EMS certificate by fingerprint, as FortiOS fctems `certificate-fingerprint` does; no CA chain.
using System.Net.Security;

namespace PostureGate.Ems.Tls;

/// <summary>HTTP handlers that trust exactly one EMS certificate, by fingerprint (as the
/// gateway's connector does with `certificate-fingerprint`); no CA chain is consulted.</summary>
public static class EmsCertificatePinning
{
    public static SocketsHttpHandler CreateHandler(string fingerprint) => new()
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, _, _) => CertificateFingerprint.Matches(fingerprint, certificate),
        },
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    };
}
