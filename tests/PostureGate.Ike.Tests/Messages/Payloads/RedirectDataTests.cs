using System.Net;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Ike.Tests.Messages.Payloads;

public class RedirectDataTests
{
    private static readonly byte[] Ni = Convert.FromHexString("00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF");

    [Fact]
    public void Redirect_ToIpv4_CarriesTheNonce()
    {
        var n = RedirectData.Redirect(RedirectGateway.FromAddress(IPAddress.Parse("198.51.100.3")), Ni);
        Assert.Equal(NotifyType.Redirect, n.NotifyType);
        // §9.2: type 1, length 4, the address, then Ni.
        Assert.Equal("0104c6336403" + Convert.ToHexStringLower(Ni), Convert.ToHexStringLower(n.Data));
        Assert.True(RedirectData.TryParse(n.Data, out var back, out _));
        Assert.Equal(IPAddress.Parse("198.51.100.3"), back!.Gateway.Address);
        Assert.Equal(Ni, back.Nonce);
    }

    [Fact]
    public void Redirect_ToIpv6_RoundTrips()
    {
        var to = RedirectGateway.FromAddress(IPAddress.Parse("2001:db8::3"));
        var data = new RedirectData(to, Ni).Encode();
        Assert.Equal([2, 16], data[..2]);
        Assert.True(RedirectData.TryParse(data, out var back, out _));
        Assert.Equal(to, back!.Gateway);
        Assert.Equal(GatewayIdentityType.Ipv6Address, back.Gateway.Type);
    }

    [Fact]
    public void Redirect_ToFqdn_RoundTrips()
    {
        Assert.True(RedirectGateway.TryParse("vpn-b.pg.example", out var to, out _));
        var data = new RedirectData(to!, Ni).Encode();
        Assert.Equal([3, 16], data[..2]);
        Assert.True(RedirectData.TryParse(data, out var back, out _));
        Assert.Equal("vpn-b.pg.example", back!.Gateway.Fqdn);
        Assert.Equal(Ni, back.Nonce);
    }

    [Fact]
    public void RedirectedFrom_HasNoNonce()
    {
        var n = RedirectData.RedirectedFrom(IPAddress.Parse("198.51.100.1"));
        Assert.Equal(NotifyType.RedirectedFrom, n.NotifyType);
        Assert.Equal("0104c6336401", Convert.ToHexStringLower(n.Data));
        Assert.True(RedirectData.TryParse(n.Data, out var back, out _));
        Assert.Empty(back!.Nonce);
    }

    [Theory]
    [InlineData("Empty", "")]
    [InlineData("OneOctet", "01")]
    [InlineData("ZeroLength", "0100")]
    [InlineData("LengthPastEnd", "0105c6336403")]
    [InlineData("LengthPastEndByMany", "01ffc6336403")]
    [InlineData("Ipv4TooShort", "0103c63364")]
    [InlineData("Ipv4TooLong", "0105c633640300")]
    [InlineData("Ipv6TooShort", "0204c6336403")]
    [InlineData("ReservedType", "0004c6336403")]
    [InlineData("UnassignedType", "0404c6336403")]
    [InlineData("PrivateUseType", "f104c6336403")]
    [InlineData("FqdnWithNul", "0303610062")]
    [InlineData("FqdnWithSpace", "0303612062")]
    [InlineData("FqdnWithEmptyLabel", "0303612e2e")]
    [InlineData("FqdnAllDigits", "0307312e322e332e34")]
    [InlineData("FqdnLeadingHyphen", "03022d61")]
    [InlineData("FqdnHighBit", "0302c3a9")]
    public void Rejects(string name, string hex)
    {
        Assert.False(RedirectData.TryParse(Convert.FromHexString(hex), out var redirect, out var reason), name);
        Assert.Null(redirect);
        Assert.False(string.IsNullOrEmpty(reason));
    }

    [Fact]
    public void Rejects_FqdnLabelLongerThan63()
    {
        var name = new string('a', 64) + ".example";
        var data = new byte[] { 3, (byte)name.Length }.Concat(System.Text.Encoding.ASCII.GetBytes(name)).ToArray();
        Assert.False(RedirectData.TryParse(data, out var redirect, out var reason));
        Assert.Null(redirect);
        Assert.Contains("63", reason);
    }

    [Fact]
    public void Parses_TheNotifyOnTheWire()
    {
        // A whole N(REDIRECT) body as strongSwan's redirect_data_create writes it: no protocol, no SPI.
        var body = RedirectData.Redirect(RedirectGateway.FromAddress(IPAddress.Parse("198.51.100.3")), Ni).EncodeBody();
        Assert.True(NotifyPayload.TryParse(body, out var n, out _));
        Assert.Equal(NotifyType.Redirect, n!.NotifyType);
        Assert.Equal(ProtocolId.None, n.Protocol);
        Assert.True(RedirectData.TryParse(n.Data, out var r, out _));
        Assert.Equal("198.51.100.3", r!.Gateway.ToString());
    }
}
