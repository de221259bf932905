using System.Net;
using PostureGate.Admission;

namespace PostureGate.Posture.Tests.Match;

public class GatewayMatcherTests
{
    private static readonly GatewayMatcher Matcher = new(CountryDatabase.Parse(["198.51.100.0/24,FR", "203.0.113.0/24,US"], out _));

    [Theory]
    [InlineData("172.16.200.242", true)]
    [InlineData("172.16.201.1", true)]
    [InlineData("172.15.255.255", false)]
    [InlineData("172.17.0.1", false)]
    [InlineData("::ffff:172.16.0.1", true)]
    public void IpMask(string peer, bool admitted)
    {
        var match = new RemoteGwMatch { Mode = RemoteGwMatchMode.IpMask, Subnet = IPAddress.Parse("172.16.0.0"), SubnetPrefixLength = 16 };
        Assert.Equal(admitted, Matcher.Validate(match, IPAddress.Parse(peer), out var reason));
        Assert.Equal(admitted, reason is null);
    }

    [Theory]
    [InlineData("10.212.134.200", true)]
    [InlineData("10.212.134.254", true)]
    [InlineData("10.212.134.199", false)]
    [InlineData("10.212.134.255", false)]
    [InlineData("2001:db8::1", false)]
    public void IpRange(string peer, bool admitted)
    {
        var match = new RemoteGwMatch { Mode = RemoteGwMatchMode.IpRange, RangeStart = IPAddress.Parse("10.212.134.200"), RangeEnd = IPAddress.Parse("10.212.134.254") };
        Assert.Equal(admitted, Matcher.Validate(match, IPAddress.Parse(peer), out _));
    }

    [Theory]
    [InlineData("198.51.100.9", true)]
    [InlineData("203.0.113.9", false)]
    [InlineData("192.0.2.1", false)]
    public void Geography(string peer, bool admitted)
    {
        var match = new RemoteGwMatch { Mode = RemoteGwMatchMode.Geography, Country = "fr" };
        Assert.Equal(admitted, Matcher.Validate(match, IPAddress.Parse(peer), out var reason));
        if (!admitted)
            Assert.Contains("not fr", reason);
    }

    [Fact]
    public void MissingSettings_Refuse()
    {
        Assert.False(Matcher.Validate(new RemoteGwMatch { Mode = RemoteGwMatchMode.IpMask }, IPAddress.Loopback, out _));
        Assert.False(Matcher.Validate(new RemoteGwMatch { Mode = RemoteGwMatchMode.IpRange }, IPAddress.Loopback, out _));
        Assert.False(new GatewayMatcher().Validate(new RemoteGwMatch { Mode = RemoteGwMatchMode.Geography, Country = "FR" }, IPAddress.Loopback, out _));
    }

    [Fact]
    public void AnyAndZtna_PassHere()
    {
        Assert.True(Matcher.Validate(RemoteGwMatch.Any, IPAddress.Parse("192.0.2.1"), out _));
        Assert.True(Matcher.Validate(new RemoteGwMatch { Mode = RemoteGwMatchMode.Ztna }, IPAddress.Parse("192.0.2.1"), out _));
    }

    [Fact]
    public async Task GateValidateGateway_EmitsTheSeedsDebugLines_AndAuditsRefusals()
    {
        await using var f = new GateFixture(down: true);
        var lines = new List<string>();
        var match = new RemoteGwMatch { Mode = RemoteGwMatchMode.IpRange, RangeStart = IPAddress.Parse("10.160.1.1"), RangeEnd = IPAddress.Parse("10.160.1.254") };
        Assert.True(f.Gate.ValidateGateway("FCT_EMS_TAG_ph2", match, new IPEndPoint(IPAddress.Parse("10.160.1.197"), 55846), lines.Add, out _));
        Assert.Equal(["re-validate gw ID", "gw validation OK"], lines);
        lines.Clear();
        Assert.False(f.Gate.ValidateGateway("FCT_EMS_TAG_ph2", match, new IPEndPoint(IPAddress.Parse("10.161.1.197"), 55846), lines.Add, out var reason));
        Assert.Equal("re-validate gw ID", lines[0]);
        Assert.StartsWith("gw validation failed: ", lines[1]);
        Assert.Contains(f.Audit.Records, r => r.Event == "gw-match" && r.Outcome == "deny" && r.Reason == reason);
    }
}
