using System.Net;
using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Ike.Tests.Messages.Payloads;

public class RedirectGatewayTests
{
    [Theory]
    [InlineData("198.51.100.3", GatewayIdentityType.Ipv4Address)]
    [InlineData("2001:db8::3", GatewayIdentityType.Ipv6Address)]
    [InlineData("vpn-b.pg.example", GatewayIdentityType.Fqdn)]
    [InlineData("gw2", GatewayIdentityType.Fqdn)]
    [InlineData("3com.example", GatewayIdentityType.Fqdn)]
    public void Parses(string text, GatewayIdentityType type)
    {
        Assert.True(RedirectGateway.TryParse(text, out var gateway, out var reason), reason);
        Assert.Equal(type, gateway!.Type);
        Assert.Equal(text, gateway.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("vpn b")]
    [InlineData("-vpn.example")]
    [InlineData("vpn..example")]
    [InlineData("vpn.example.")]
    [InlineData("fe80::1%eth0")]
    [InlineData("300.1.1.1")]
    [InlineData("vpn_b.example")]
    [InlineData("vpné.example")]
    public void Refuses(string text)
    {
        Assert.False(RedirectGateway.TryParse(text, out var gateway, out var reason));
        Assert.Null(gateway);
        Assert.False(string.IsNullOrEmpty(reason));
    }

    [Fact]
    public void Refuses_AnOverlongName() =>
        Assert.False(RedirectGateway.TryParse(string.Join('.', Enumerable.Repeat(new string('a', 60), 5)), out _, out _));

    [Fact]
    public void AddressesCompareByValue() =>
        Assert.Equal(RedirectGateway.FromAddress(IPAddress.Parse("198.51.100.3")), RedirectGateway.FromAddress(IPAddress.Parse("198.51.100.3")));
}
