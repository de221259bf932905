// RevokedDeviceCertificates: a serial counts only under the issuer the snapshot named (RFC 5280 §5.3), serials
// compare as numbers' hex (case, colons, leading zero octets ignored), and only new revocations are reported.
using System.Security.Cryptography;

namespace PostureGate.Posture.Tests.Ems;

public class RevokedDeviceCertificatesTests
{
    private const string Uid = "6108A9179A5C40D7BD57504E15114C1F";
    private static readonly byte[] CaSpki = RandomNumberGenerator.GetBytes(91);
    private static readonly string CaKey = Convert.ToHexStringLower(SHA256.HashData(CaSpki));

    [Fact]
    public void ASerialIsRevoked_OnlyUnderTheIssuerTheSnapshotNamed()
    {
        var set = new RevokedDeviceCertificates();
        Assert.Single(set.Replace(CaKey, [new RevokedCertificate("1A2B", Uid)]));

        Assert.True(set.IsRevoked(CaSpki, "1a2b"));
        Assert.True(set.IsRevoked(CaSpki, "00:1A:2B"));
        Assert.False(set.IsRevoked(RandomNumberGenerator.GetBytes(91), "1A2B"));
        Assert.False(set.IsRevoked(CaSpki, "1A2C"));
        Assert.Equal(Uid, set.UidOf("001a2b"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-hex-at-all")]
    [InlineData("abcd")]
    public void WithoutAReadableIssuerKey_NothingIsRevoked(string? key)
    {
        var set = new RevokedDeviceCertificates();
        set.Replace(key, [new RevokedCertificate("1A2B", Uid)]);

        Assert.False(set.IsRevoked(CaSpki, "1A2B"));
    }

    [Fact]
    public void OnlyNewRevocations_AreReported()
    {
        var set = new RevokedDeviceCertificates();
        set.Replace(CaKey, [new RevokedCertificate("01", Uid)]);

        Assert.Empty(set.Add(Uid, ["0001"]));
        Assert.Equal([new RevokedCertificate("02", Uid)], set.Add(Uid, ["02", "02"]));
        Assert.True(set.IsRevoked(CaSpki, "02"));
        // A resync naming one more reports that one only; one it no longer names is forgotten (expired).
        Assert.Equal([new RevokedCertificate("03", Uid)], set.Replace(CaKey, [new("01", Uid), new("02", Uid), new("03", Uid)]));
        set.Replace(CaKey, [new RevokedCertificate("03", Uid)]);
        Assert.False(set.IsRevoked(CaSpki, "01"));
        Assert.Equal(1, set.Count);
    }
}
