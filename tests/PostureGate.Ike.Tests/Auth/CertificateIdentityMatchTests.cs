using System.Net;
using System.Text;
using PostureGate.Ike.Auth;
using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Ike.Tests.Auth;

public class CertificateIdentityMatchTests
{
    private static readonly System.Security.Cryptography.X509Certificates.X509Certificate2 Cert = TestPki.Issue(TestPki.Ca("Id CA"), new TestPki.Leaf
    {
        Subject = "CN=alice, O=Example",
        Dns = ["vpn.example.com"],
        Ips = [IPAddress.Parse("192.0.2.10"), IPAddress.Parse("2001:db8::10")],
        Emails = ["Alice@Example.com"],
        Uris = ["urn:posturegate:uid:0123456789ABCDEF0123456789ABCDEF"],
    });

    private static bool Matches(IdType type, string text) => CertificateIdentityMatch.Matches(type, Encoding.ASCII.GetBytes(text), Cert);

    [Fact]
    public void Fqdn_MatchesSanDns_CaseInsensitively()
    {
        Assert.True(Matches(IdType.Fqdn, "vpn.example.com"));
        Assert.True(Matches(IdType.Fqdn, "VPN.Example.COM"));
        Assert.False(Matches(IdType.Fqdn, "alice"));            // the CN is not a DNS name
        Assert.False(Matches(IdType.Fqdn, "other.example.com"));
    }

    [Fact]
    public void Addresses_MatchSanIp()
    {
        Assert.True(CertificateIdentityMatch.Matches(IdType.Ipv4Address, IPAddress.Parse("192.0.2.10").GetAddressBytes(), Cert));
        Assert.True(CertificateIdentityMatch.Matches(IdType.Ipv6Address, IPAddress.Parse("2001:db8::10").GetAddressBytes(), Cert));
        Assert.False(CertificateIdentityMatch.Matches(IdType.Ipv4Address, IPAddress.Parse("192.0.2.11").GetAddressBytes(), Cert));
        Assert.False(CertificateIdentityMatch.Matches(IdType.Ipv4Address, [192, 0, 2], Cert));
    }

    [Fact]
    public void Email_LocalPartExact_DomainAnyCase()
    {
        Assert.True(Matches(IdType.Rfc822Address, "Alice@example.COM"));
        Assert.False(Matches(IdType.Rfc822Address, "alice@Example.com"));
    }

    [Fact]
    public void Dn_MatchesTheSubjectOctetForOctet()
    {
        Assert.True(CertificateIdentityMatch.Matches(IdType.DerAsn1Dn, Cert.SubjectName.RawData, Cert));
        Assert.False(CertificateIdentityMatch.Matches(IdType.DerAsn1Dn, new System.Security.Cryptography.X509Certificates.X500DistinguishedName("CN=alice").RawData, Cert));
    }

    [Fact]
    public void KeyId_NeverMatches() => Assert.False(Matches(IdType.KeyId, "vpn.example.com"));

    [Fact]
    public void Uris_AreRead() =>
        Assert.Equal(["urn:posturegate:uid:0123456789ABCDEF0123456789ABCDEF"], CertificateNames.Uris(Cert));
}
