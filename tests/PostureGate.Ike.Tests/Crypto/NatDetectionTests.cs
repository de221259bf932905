using System.Net;
using System.Security.Cryptography;
using PostureGate.Ike.Crypto;

namespace PostureGate.Ike.Tests.Crypto;

public class NatDetectionTests
{
    // RFC 7296 §2.23: SHA-1(SPIi | SPIr | IP | Port), built by hand here.
    [Fact]
    public void Ipv4_HashesSpisAddressAndPort()
    {
        var expected = SHA1.HashData(Convert.FromHexString("0102030405060708" + "0000000000000000" + "cb007102" + "01f4"));
        Assert.Equal(expected, NatDetection.ComputeHash(0x0102030405060708, 0, new IPEndPoint(IPAddress.Parse("203.0.113.2"), 500)));
    }

    [Fact]
    public void Ipv6_UsesSixteenOctets()
    {
        var expected = SHA1.HashData(Convert.FromHexString("0000000000000001" + "0000000000000002" + "20010db8000000000000000000000001" + "1194"));
        Assert.Equal(expected, NatDetection.ComputeHash(1, 2, new IPEndPoint(IPAddress.Parse("2001:db8::1"), 4500)));
    }

    [Fact]
    public void Matches_DetectsATranslatedPort()
    {
        var sent = new IPEndPoint(IPAddress.Parse("192.168.1.10"), 500);
        var hash = NatDetection.ComputeHash(7, 0, sent);
        Assert.True(NatDetection.Matches(hash, 7, 0, sent));
        Assert.False(NatDetection.Matches(hash, 7, 0, new IPEndPoint(sent.Address, 55846)));
        Assert.False(NatDetection.Matches(hash[..19], 7, 0, sent));
        Assert.True(NatDetection.AnyMatches([new byte[20], hash], 7, 0, sent));
    }
}
