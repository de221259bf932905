using System.Net;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Ike.Tests.Messages.Payloads;

public class ConfigPayloadTests
{
    [Fact]
    public void StrongSwanRequest_KnownEncoding()
    {
        var cp = PayloadAssert.RoundTrip(new ConfigPayload(ConfigType.Request,
            [ConfigAttribute.Request(ConfigAttributeType.InternalIp4Address), ConfigAttribute.Request(ConfigAttributeType.InternalIp4Dns)]));
        // CFG_REQUEST, INTERNAL_IP4_ADDRESS (len 0), INTERNAL_IP4_DNS (len 0).
        Assert.Equal("01000000" + "00010000" + "00030000", Convert.ToHexStringLower(cp.EncodeBody()));
    }

    [Fact]
    public void Reply_WithAllAddressKinds_AndUnknownAttributesPreserved()
    {
        var cp = PayloadAssert.RoundTrip(new ConfigPayload(ConfigType.Reply,
        [
            ConfigAttribute.Address(ConfigAttributeType.InternalIp4Address, IPAddress.Parse("10.212.134.200")),
            ConfigAttribute.Address(ConfigAttributeType.InternalIp4Netmask, IPAddress.Parse("255.255.255.255")),
            ConfigAttribute.Address(ConfigAttributeType.InternalIp4Dns, IPAddress.Parse("10.0.0.53")),
            ConfigAttribute.Ip4Subnet(IPAddress.Parse("203.0.113.0"), IPAddress.Parse("255.255.255.0")),
            ConfigAttribute.Ip6WithPrefix(ConfigAttributeType.InternalIp6Address, IPAddress.Parse("fd00::5"), 64),
            ConfigAttribute.Address(ConfigAttributeType.InternalIp6Dns, IPAddress.Parse("fd00::53")),
            ConfigAttribute.ApplicationVersion("PostureGate 0.1"),
            new ConfigAttribute((ConfigAttributeType)16400, [1, 2]),
        ]));
        Assert.Equal(IPAddress.Parse("10.212.134.200"), cp.AttributesOf(ConfigAttributeType.InternalIp4Address).Single().AddressValue);
        Assert.Equal(IPAddress.Parse("fd00::5"), cp.AttributesOf(ConfigAttributeType.InternalIp6Address).Single().AddressValue);
        Assert.Equal([1, 2], cp.Attributes[^1].Value);
        Assert.Equal("(16400)", cp.Attributes[^1].ToString());
    }

    [Fact]
    public void ReservedBit_IsIgnoredOnReceipt()
    {
        var cp = PayloadAssert.RoundTrip(new ConfigPayload(ConfigType.Request, [ConfigAttribute.Request(ConfigAttributeType.InternalIp4Address)]));
        var body = cp.EncodeBody();
        body[4] |= 0x80;
        Assert.True(PayloadChain.TryParseBody(PayloadType.Configuration, body, out var parsed, out _));
        Assert.Equal(ConfigAttributeType.InternalIp4Address, ((ConfigPayload)parsed!).Attributes[0].AttributeType);
    }

    [Fact]
    public void TooShort() => PayloadAssert.Rejects(PayloadType.Configuration, [1, 0, 0]);

    [Fact]
    public void AttributeBeyondPayload() => PayloadAssert.Rejects(PayloadType.Configuration, [1, 0, 0, 0, 0, 1, 0, 4, 10, 0]);

    [Fact]
    public void BadLength_Ip4AddressOfThreeOctets() => PayloadAssert.Rejects(PayloadType.Configuration, [2, 0, 0, 0, 0, 1, 0, 3, 10, 0, 0]);

    [Fact]
    public void UnknownCfgType() => PayloadAssert.Rejects(PayloadType.Configuration, [9, 0, 0, 0]);
}
