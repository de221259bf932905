using PostureGate.Ike.Auth;

namespace PostureGate.Ike.Tests.Auth;

public class DeviceCertificateUidTests
{
    private const string Uid = "0123456789ABCDEF0123456789ABCDEF";
    private static readonly System.Security.Cryptography.X509Certificates.X509Certificate2 Ca = TestPki.Ca("Endpoint CA");

    private static (bool Ok, string Uid, string Reason) Read(string subject, params string[] uris)
    {
        var cert = TestPki.Issue(Ca, new TestPki.Leaf { Subject = subject, Dns = [], Uris = uris });
        var ok = DeviceCertificateUid.TryRead(cert, out var uid, out var reason);
        return (ok, uid, reason);
    }

    [Fact]
    public void CnAndUriNamingTheSameUid_GiveIt_UpperCase()
    {
        var r = Read("CN=" + Uid.ToLowerInvariant(), "urn:posturegate:uid:" + Uid);
        Assert.True(r.Ok, r.Reason);
        Assert.Equal(Uid, r.Uid);
    }

    [Fact]
    public void CnAlone_IsNoUid() => Assert.Contains("no urn:posturegate:uid:", Read("CN=" + Uid).Reason);

    [Fact]
    public void CnAndUriDisagree_IsNoUid() =>
        Assert.False(Read("CN=" + Uid, "urn:posturegate:uid:" + Uid.Replace('0', '1')).Ok);

    [Fact]
    public void TwoUris_IsNoUid() =>
        Assert.Contains("more than one", Read("CN=" + Uid, "urn:posturegate:uid:" + Uid, "urn:posturegate:uid:" + Uid.Replace('0', '1')).Reason);

    [Fact]
    public void ExtraSubjectAttributes_AreNoUid() =>
        Assert.Contains("single CN", Read("CN=" + Uid + ", O=Example", "urn:posturegate:uid:" + Uid).Reason);

    [Fact]
    public void NotAUid_IsNoUid() => Assert.False(Read("CN=alice", "urn:posturegate:uid:alice").Ok);
}
