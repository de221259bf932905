// IpPrefix (FortiOS "address mask" values as an RFC 4632 prefix): its network and what it contains.
using System.Net;
using PostureGate.Config.Model;

namespace PostureGate.Config.Tests.Model;

public class IpPrefixTests
{
    [Theory]
    [InlineData("192.0.2.77", 24, "192.0.2.0", "192.0.2.255", true)]
    [InlineData("10.1.2.3", 8, "10.0.0.0", "11.0.0.0", false)]
    [InlineData("0.0.0.0", 0, "0.0.0.0", "255.255.255.255", true)]
    public void IpPrefixNetworkAndContains(string address, int length, string network, string probe, bool contains)
    {
        var p = new IpPrefix(IPAddress.Parse(address), length);
        Assert.Equal(IPAddress.Parse(network), p.Network);
        Assert.Equal(contains, p.Contains(IPAddress.Parse(probe)));
    }
}
