using PostureGate.Ike.Config;

namespace PostureGate.Ike.Tests.Config;

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
}
