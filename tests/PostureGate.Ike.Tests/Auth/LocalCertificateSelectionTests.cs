// RFC 7296 §3.7: of several local certificates, the one whose CA (anchor or intermediate) the peer's
// CERTREQ names; the first configured when it names none of them, names only others, or sends none.
using PostureGate.Ike.Auth;
using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Ike.Tests.Auth;

public class LocalCertificateSelectionTests
{
    private static readonly System.Security.Cryptography.X509Certificates.X509Certificate2 CaA = TestPki.Ca("CA A");
    private static readonly System.Security.Cryptography.X509Certificates.X509Certificate2 CaB = TestPki.Ca("CA B");
    private static readonly System.Security.Cryptography.X509Certificates.X509Certificate2 IntermediateB = TestPki.Ca("CA B issuing", issuer: CaB);

    private static readonly LocalCertificateCredential FromA =
        new(TestPki.Issue(CaA, new TestPki.Leaf { Subject = "CN=gw a" }), anchors: [CaA]);
    private static readonly LocalCertificateCredential FromB =
        new(TestPki.Issue(IntermediateB, new TestPki.Leaf { Subject = "CN=gw b" }), [IntermediateB], [CaB]);

    [Fact]
    public void TheCertificateUnderTheRequestedAnchor_IsChosen_WhateverItsPlace()
    {
        Assert.Same(FromB, LocalCertificateSelection.Choose([FromA, FromB], [CertificateAuthorityKeyHash.Request([CaB])]));
        Assert.Same(FromA, LocalCertificateSelection.Choose([FromB, FromA], [CertificateAuthorityKeyHash.Request([CaA])]));
    }

    [Fact]
    public void AnIntermediateNamedInTheRequest_ChoosesItsCertificate()
    {
        Assert.Same(FromB, LocalCertificateSelection.Choose([FromA, FromB], [CertificateAuthorityKeyHash.Request([IntermediateB])]));
    }

    [Fact]
    public void SeveralHashesInSeveralRequests_TheFirstConfiguredThatMatches()
    {
        var other = TestPki.Ca("Other");
        CertReqPayload[] requests = [CertificateAuthorityKeyHash.Request([other]), CertificateAuthorityKeyHash.Request([CaB, CaA])];

        Assert.Same(FromA, LocalCertificateSelection.Choose([FromA, FromB], requests));
    }

    [Fact]
    public void NoRequest_AnUnknownCa_OrAnotherEncoding_TheFirstConfigured()
    {
        var unknown = CertificateAuthorityKeyHash.Request([TestPki.Ca("Unknown")]);
        var pgp = new CertReqPayload(CertEncoding.Pgp, CertificateAuthorityKeyHash.Request([CaB]).CertificationAuthority);

        Assert.Same(FromA, LocalCertificateSelection.Choose([FromA, FromB], []));
        Assert.Same(FromA, LocalCertificateSelection.Choose([FromA, FromB], [unknown]));
        Assert.Same(FromA, LocalCertificateSelection.Choose([FromA, FromB], [pgp]));
    }

    [Fact]
    public void NoCandidate_IsAProgrammingError() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => LocalCertificateSelection.Choose([], []));
}
