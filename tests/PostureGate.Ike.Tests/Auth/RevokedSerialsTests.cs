using PostureGate.Ike.Auth;

namespace PostureGate.Ike.Tests.Auth;

public class RevokedSerialsTests
{
    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2 _ca = TestPki.Ca("Rev CA");

    [Fact]
    public void SerialSpellings_AreOneSerial()
    {
        var leaf = TestPki.Issue(_ca, new TestPki.Leaf());
        var set = new RevokedSerials(_ca);
        Assert.False(set.IsRevoked(leaf, _ca));
        set.Revoke("00:" + string.Join(':', Convert.FromHexString(leaf.SerialNumber).Select(b => b.ToString("x2"))));
        Assert.True(set.IsRevoked(leaf, _ca));
    }

    [Fact]
    public void Replace_DropsEarlierSerials()
    {
        var leaf = TestPki.Issue(_ca, new TestPki.Leaf());
        var set = new RevokedSerials(_ca, [leaf.SerialNumber]);
        set.Replace(["01"]);
        Assert.False(set.IsRevoked(leaf, _ca));
        Assert.Equal(1, set.Count);
    }
}
