using System.Security.Cryptography;
using PostureGate.Ike.Auth;
using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Ike.Tests.Auth;

public class CertificateAuthorityKeyHashTests
{
    // RFC 7296 §3.7: SHA-1 of the DER SubjectPublicKeyInfo, the same bytes the BCL's key export gives.
    [Fact]
    public void Of_IsSha1OfTheSubjectPublicKeyInfo()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var ca = TestPki.Ca("Hash CA", key);
        Assert.Equal(SHA1.HashData(key.ExportSubjectPublicKeyInfo()), CertificateAuthorityKeyHash.Of(ca));
    }

    [Fact]
    public void Request_NamesEachCa_AndIsRequestedFindsThem()
    {
        var a = TestPki.Ca("A");
        var b = TestPki.Ca("B");
        var req = CertificateAuthorityKeyHash.Request([a, b]);

        Assert.Equal(2, req.KeyHashes().Count());
        Assert.True(CertificateAuthorityKeyHash.IsRequested([req], b));
        Assert.False(CertificateAuthorityKeyHash.IsRequested([req], TestPki.Ca("A")));
        Assert.False(CertificateAuthorityKeyHash.IsRequested([new CertReqPayload(CertEncoding.Pgp, req.CertificationAuthority)], a));
    }
}
