using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PostureGate.Ems.Tls;

namespace PostureGate.Ems.Tests.Tls;

public class CertificateFingerprintTests
{
    [Fact]
    public void Matches_AnyCaseWithOrWithoutColons_OnlyForThatCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("CN=a", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        using var other = new CertificateRequest("CN=b", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        var fingerprint = CertificateFingerprint.Of(certificate);

        Assert.Equal(Convert.ToHexString(SHA256.HashData(certificate.RawData)), fingerprint.Replace(":", ""));
        Assert.True(CertificateFingerprint.Matches(fingerprint, certificate));
        Assert.True(CertificateFingerprint.Matches(fingerprint.Replace(":", "").ToLowerInvariant(), certificate));
        Assert.False(CertificateFingerprint.Matches(fingerprint, other));
        Assert.False(CertificateFingerprint.Matches(fingerprint[..^3], certificate));   // TooShort
        Assert.False(CertificateFingerprint.Matches(fingerprint[..^1] + "G", certificate)); // NotHex
        Assert.False(CertificateFingerprint.Matches(fingerprint, null));
    }

    [Fact]
    public async Task PinnedClient_RefusesADifferentCertificate()
    {
        await using var ems = await TestEms.StartAsync();
        var wrong = string.Join(':', Enumerable.Repeat("00", 32));
        using var client = new HttpClient(EmsCertificatePinning.CreateHandler(wrong)) { BaseAddress = new Uri(ems.Server.Url) };
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(EmsApiRoutes.WellKnownJwks));
        Assert.True((await ems.Client.GetAsync(EmsApiRoutes.WellKnownJwks)).IsSuccessStatusCode);
    }

    /// <summary>Every TLS peer sees the server certificate before any authentication, and every
    /// endpoint certificate names its issuer: neither may carry the EMS serial (`ems-sn-check`).</summary>
    [Fact]
    public async Task NeitherTheServerCertificateNorTheEndpointCa_NameTheEmsSerial()
    {
        await using var ems = await TestEms.StartAsync();
        X509Certificate2? seen = null;
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            seen = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            return true;
        };
        using var anonymous = new HttpClient(handler) { BaseAddress = new Uri(ems.Server.Url) };
        await anonymous.GetAsync(EmsApiRoutes.WellKnownJwks);
        using var endpoint = await ems.EnrollAsync("F8A6AFF3531843B4972CBDBEEEB30E3C");

        Assert.NotNull(seen);
        Assert.DoesNotContain(ems.Server.SerialNumber, seen.Subject + seen.Issuer);
        Assert.DoesNotContain(ems.Server.SerialNumber, endpoint.Issuer);
        seen.Dispose();
    }
}
