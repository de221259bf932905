// FortiOS services as the policy engine matches them (ServiceMatcher): protocol and destination
// port ranges for TCP, UDP and SCTP, protocol alone for the rest; the predefined names PostureGate knows.
using PostureGate.Gateway.Firewall;

namespace PostureGate.Gateway.Tests.Firewall;

public class ServiceMatcherTests
{
    [Theory]
    [InlineData("HTTPS", 6, 443, true)]
    [InlineData("HTTPS", 6, 444, false)]
    [InlineData("HTTPS", 17, 443, false)]
    [InlineData("DNS", 17, 53, true)]
    [InlineData("DNS", 6, 53, true)]
    [InlineData("ALL_TCP", 6, 1, true)]
    [InlineData("ALL_TCP", 17, 1, false)]
    [InlineData("PING", 1, 0, true)]
    [InlineData("ALL", 47, 0, true)]
    public void PredefinedServicesMatchTheirProtocolAndPorts(string name, byte protocol, ushort port, bool matches)
    {
        Assert.True(ServiceMatcher.TryGetPredefined(name, out var matcher));
        Assert.Equal(matches, matcher.Matches(protocol, port));
    }

    [Fact]
    public void AnUnknownNameIsNotPredefined() => Assert.False(ServiceMatcher.TryGetPredefined("http", out _));

    [Fact]
    public void PortsCountOnlyForTcpUdpAndSctp()
    {
        var rules = new ServiceMatcher([new ServiceRule(132, 2905, 2905), new ServiceRule(1, 8, 8)]);

        Assert.True(rules.Matches(132, 2905));
        Assert.False(rules.Matches(132, 2906));
        Assert.True(rules.Matches(1, 0)); // ICMP carries no port: the protocol decides
    }
}
