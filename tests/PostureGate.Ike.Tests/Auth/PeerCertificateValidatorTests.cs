using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using PostureGate.Ike.Auth;
using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Ike.Tests.Auth;

public class PeerCertificateValidatorTests
{
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";
    private static readonly byte[] GatewayFqdn = Encoding.ASCII.GetBytes("gateway.example.com");

    private readonly X509Certificate2 _ca = TestPki.Ca("PostureGate Test CA");

    private CertificateValidation Validate(IReadOnlyList<CertPayload> certs, PeerCertificatePolicy? policy = null,
        IdType idType = IdType.Fqdn, byte[]? id = null, DateTimeOffset? now = null) =>
        new PeerCertificateValidator(policy ?? new PeerCertificatePolicy { TrustedAuthorities = [_ca] }, new ManualTimeProvider(now ?? TestPki.Now))
            .Validate(certs, idType, id ?? GatewayFqdn);

    [Fact]
    public void CertificateFromTheConfiguredCa_IsAccepted()
    {
        var leaf = TestPki.Issue(_ca, new TestPki.Leaf());
        var result = Validate([TestPki.Cert(leaf)]);
        Assert.True(result.Accepted, result.Failure);
        Assert.Equal(leaf.RawData, result.EndEntity!.RawData);
        Assert.Same(_ca, result.Authority);
    }

    [Fact]
    public void ChainThroughAnIntermediateSentInCert_IsAccepted()
    {
        var intermediate = TestPki.Ca("Issuing CA", issuer: _ca);
        var leaf = TestPki.Issue(intermediate, new TestPki.Leaf());
        Assert.True(Validate([TestPki.Cert(leaf), TestPki.Cert(intermediate)]).Accepted);
        // Without the intermediate there is no path.
        Assert.Contains("does not chain to a configured CA", Validate([TestPki.Cert(leaf)]).Failure);
    }

    [Fact]
    public void RightNameUnderAnotherCa_IsRefused()
    {
        var other = TestPki.Ca("PostureGate Test CA"); // same name, other key
        var result = Validate([TestPki.Cert(TestPki.Issue(other, new TestPki.Leaf()))]);
        Assert.False(result.Accepted);
        Assert.Contains("does not chain to a configured CA", result.Failure);
    }

    [Fact]
    public void SystemTrustIsNotUsed_OnlyTheConfiguredCas()
    {
        var leaf = TestPki.Issue(_ca, new TestPki.Leaf());
        Assert.False(Validate([TestPki.Cert(leaf)], new PeerCertificatePolicy { TrustedAuthorities = [TestPki.Ca("Other")] }).Accepted);
    }

    [Fact]
    public void Expired_IsRefused() =>
        Assert.Contains("expired or not yet valid",
            Validate([TestPki.Cert(TestPki.Issue(_ca, new TestPki.Leaf { NotBefore = TestPki.Now.AddDays(-60), NotAfter = TestPki.Now.AddDays(-1) }))]).Failure);

    [Fact]
    public void NotYetValid_IsRefused() =>
        Assert.Contains("expired or not yet valid",
            Validate([TestPki.Cert(TestPki.Issue(_ca, new TestPki.Leaf { NotBefore = TestPki.Now.AddDays(1), NotAfter = TestPki.Now.AddDays(60) }))]).Failure);

    [Fact]
    public void ValidityIsJudgedByTheInjectedClock()
    {
        var cert = TestPki.Cert(TestPki.Issue(_ca, new TestPki.Leaf()));
        Assert.True(Validate([cert]).Accepted);
        Assert.False(Validate([cert], now: TestPki.Now.AddDays(31)).Accepted);
    }

    [Fact]
    public void RevokedSerial_IsRefused_OthersOfTheCaAreNot()
    {
        var revokedLeaf = TestPki.Issue(_ca, new TestPki.Leaf());
        var goodLeaf = TestPki.Issue(_ca, new TestPki.Leaf());
        var policy = new PeerCertificatePolicy { TrustedAuthorities = [_ca], Revocations = [new RevokedSerials(_ca, ["00" + revokedLeaf.SerialNumber.ToLowerInvariant()])] };

        Assert.Contains("is revoked", Validate([TestPki.Cert(revokedLeaf)], policy).Failure);
        Assert.True(Validate([TestPki.Cert(goodLeaf)], policy).Accepted);
    }

    [Fact]
    public void RevocationOfAnotherCa_DoesNotApply()
    {
        var leaf = TestPki.Issue(_ca, new TestPki.Leaf());
        var policy = new PeerCertificatePolicy { TrustedAuthorities = [_ca], Revocations = [new RevokedSerials(TestPki.Ca("Other"), [leaf.SerialNumber])] };
        Assert.True(Validate([TestPki.Cert(leaf)], policy).Accepted);
    }

    [Fact]
    public void RequiredEku_MustBeListedByTheCertificate()
    {
        var policy = new PeerCertificatePolicy { TrustedAuthorities = [_ca], RequiredExtendedKeyUsages = [ClientAuth] };
        Assert.Contains("lacks extended key usage", Validate([TestPki.Cert(TestPki.Issue(_ca, new TestPki.Leaf()))], policy).Failure);
        Assert.True(Validate([TestPki.Cert(TestPki.Issue(_ca, new TestPki.Leaf { Ekus = [ClientAuth] }))], policy).Accepted);
    }

    [Fact]
    public void CaCertificateAsEndEntity_IsRefused() =>
        Assert.Contains("is a CA certificate", Validate([TestPki.Cert(TestPki.Issue(_ca, new TestPki.Leaf { IsCa = true }))]).Failure);

    [Fact]
    public void KeyUsageWithoutSigning_IsRefused() =>
        Assert.Contains("may not sign",
            Validate([TestPki.Cert(TestPki.Issue(_ca, new TestPki.Leaf { Usage = X509KeyUsageFlags.KeyEncipherment }))]).Failure);

    // Two CAs that certify each other and no configured anchor: no path, never a hang.
    [Fact]
    public void ChainLoop_IsRefused()
    {
        using var keyA = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var keyB = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var selfA = TestPki.Ca("Loop A", keyA);
        var selfB = TestPki.Ca("Loop B", keyB);
        var aByB = TestPki.Ca("Loop A", keyA, issuer: selfB);
        var bByA = TestPki.Ca("Loop B", keyB, issuer: selfA);
        var leaf = TestPki.Issue(aByB, new TestPki.Leaf());

        var result = Validate([TestPki.Cert(leaf), TestPki.Cert(aByB), TestPki.Cert(bByA)]);
        Assert.False(result.Accepted);
    }

    [Fact]
    public void TooManyCertificates_AreRefusedBeforeAnyPathBuilding()
    {
        var leaf = TestPki.Cert(TestPki.Issue(_ca, new TestPki.Leaf()));
        var result = Validate([leaf, leaf, leaf, leaf, leaf, leaf]);
        Assert.Contains("more than a chain", result.Failure);
    }

    [Fact]
    public void ChainLongerThanThePolicy_IsRefused()
    {
        var i1 = TestPki.Ca("I1", issuer: _ca);
        var i2 = TestPki.Ca("I2", issuer: i1);
        var leaf = TestPki.Issue(i2, new TestPki.Leaf());
        var certs = new[] { TestPki.Cert(leaf), TestPki.Cert(i2), TestPki.Cert(i1) };
        Assert.True(Validate(certs).Accepted);
        Assert.Contains("longer than 3", Validate(certs, new PeerCertificatePolicy { TrustedAuthorities = [_ca], MaxChainLength = 3 }).Failure);
    }

    [Theory]
    [InlineData(new byte[] { 0x30, 0x03, 0x02, 0x01, 0x01 })]
    [InlineData(new byte[] { 0xff, 0xff })]
    public void UnreadableCertificate_IsRefused(byte[] der) =>
        Assert.Contains("not a readable", Validate([new CertPayload(CertEncoding.X509Signature, der)]).Failure);

    [Fact]
    public void FirstCertNotX509_IsRefused() =>
        Assert.Contains("not an X.509", Validate([new CertPayload(CertEncoding.Pgp, [1, 2, 3])]).Failure);

    [Fact]
    public void NoCert_IsRefused() => Assert.False(Validate([]).Accepted);

    // RFC 4945 §3.1: a valid certificate for one name does not authenticate another.
    [Fact]
    public void IdNotInTheCertificate_IsRefused()
    {
        var cert = TestPki.Cert(TestPki.Issue(_ca, new TestPki.Leaf()));
        Assert.Contains("is not a name in its certificate", Validate([cert], id: Encoding.ASCII.GetBytes("vpn.example.net")).Failure);
        Assert.False(Validate([cert], idType: IdType.Ipv4Address, id: IPAddress.Parse("192.0.2.1").GetAddressBytes()).Accepted);
    }

    // FortiOS `config user peer` subject / cn.
    [Fact]
    public void UserPeerSubjectAndCn_AreRequired()
    {
        var cert = TestPki.Cert(TestPki.Issue(_ca, new TestPki.Leaf { Subject = "CN=Device-1, O=Example" }));
        PeerCertificatePolicy Policy(string? subject = null, string? cn = null, bool ignoreCase = false) =>
            new() { TrustedAuthorities = [_ca], RequiredSubject = subject, RequiredCommonName = cn, CommonNameIgnoresCase = ignoreCase };

        Assert.True(Validate([cert], Policy(subject: "cn=Device-1, o=Example")).Accepted);
        Assert.Contains("is not the peer's", Validate([cert], Policy(subject: "CN=Device-2, O=Example")).Failure);
        Assert.True(Validate([cert], Policy(cn: "Device-1")).Accepted);
        Assert.Contains("does not carry the peer's CN", Validate([cert], Policy(cn: "device-1")).Failure);
        Assert.True(Validate([cert], Policy(cn: "device-1", ignoreCase: true)).Accepted);
    }
}
