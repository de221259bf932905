// IPv4 prefixes: FortiOS's two notations, and the fewest prefixes covering a range.
using System.Net;
using PostureGate.Net;

namespace PostureGate.Foundation.Tests.Net;

public class Ipv4SubnetTests
{
    [Theory]
    [InlineData("203.0.113.0/24", "203.0.113.0/24")]
    [InlineData("203.0.113.7 255.255.255.0", "203.0.113.0/24")]
    [InlineData("10.0.0.1", "10.0.0.1/32")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    public void Parses(string text, string expected)
    {
        Assert.True(Ipv4Subnet.TryParse(text, out var s));
        Assert.Equal(expected, s.ToString());
    }

    [Theory]
    [InlineData("NonContiguousMask", "10.0.0.0 255.0.255.0")]
    [InlineData("PrefixTooLong", "10.0.0.0/33")]
    [InlineData("NotAnAddress", "ten.0.0.0/8")]
    [InlineData("Ipv6", "2001:db8::/32")]
    public void Refuses(string name, string text)
    {
        Assert.False(Ipv4Subnet.TryParse(text, out var s), name);
        Assert.Equal(default, s);
    }

    [Theory]
    [InlineData("10.0.0.0", "10.255.255.255", "10.0.0.0/8")]
    [InlineData("10.212.134.200", "10.212.134.254", "10.212.134.200/29 10.212.134.208/28 10.212.134.224/28 10.212.134.240/29 10.212.134.248/30 10.212.134.252/31 10.212.134.254/32")]
    [InlineData("192.0.2.5", "192.0.2.18", "192.0.2.5/32 192.0.2.6/31 192.0.2.8/29 192.0.2.16/31 192.0.2.18/32")]
    [InlineData("0.0.0.0", "255.255.255.255", "0.0.0.0/0")]
    [InlineData("203.0.113.7", "203.0.113.7", "203.0.113.7/32")]
    [InlineData("255.255.255.254", "255.255.255.255", "255.255.255.254/31")]
    public void Cover_TheFewestPrefixesOfARange(string first, string last, string expected) =>
        Assert.Equal(expected, string.Join(' ', Ipv4Subnet.Cover(IPAddress.Parse(first), IPAddress.Parse(last))));

    [Fact]
    public void Ipv4MappedIpv6_IsIpv4()
    {
        Assert.True(Ipv4.TryToUInt32(IPAddress.Parse("::ffff:192.0.2.1"), out var v));
        Assert.Equal(0xC0000201u, v);
        Assert.False(Ipv4.TryToUInt32(IPAddress.Parse("2001:db8::1"), out _));
    }
}
