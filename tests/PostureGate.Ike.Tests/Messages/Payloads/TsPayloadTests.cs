using System.Net;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Ike.Tests.Messages.Payloads;

public class TsPayloadTests
{
    [Fact]
    public void Ipv4Any_KnownEncoding()
    {
        var ts = PayloadAssert.RoundTrip(new TsPayload(PayloadType.TrafficSelectorInitiator, [TrafficSelector.Any()]));
        // 1 selector; TS_IPV4_ADDR_RANGE, proto 0, len 16, ports 0-65535, 0.0.0.0-255.255.255.255.
        Assert.Equal("01000000" + "07000010" + "0000ffff" + "00000000" + "ffffffff", Convert.ToHexStringLower(ts.EncodeBody()));
    }

    [Fact]
    public void MixedFamilies_RoundTrip()
    {
        var ts = PayloadAssert.RoundTrip(new TsPayload(PayloadType.TrafficSelectorResponder,
        [
            TrafficSelector.FromPrefix(IPAddress.Parse("203.0.113.0"), 24, 6),
            TrafficSelector.Create(IPAddress.Parse("2001:db8::"), IPAddress.Parse("2001:db8::ffff"), 17, 53, 53),
        ]));
        Assert.Equal("203.0.113.0-203.0.113.255[6]", ts.Selectors[0].ToString());
        Assert.Equal("2001:db8::-2001:db8::ffff[17][53-53]", ts.Selectors[1].ToString());
        Assert.Equal(4 + 16 + 40, ts.BodyLength);
    }

    private static byte[] Body() => new TsPayload(PayloadType.TrafficSelectorInitiator, [TrafficSelector.Any()]).EncodeBody();

    [Fact]
    public void TooShort() => PayloadAssert.Rejects(PayloadType.TrafficSelectorInitiator, [1, 0, 0]);

    [Fact]
    public void NoSelectors() => Assert.Contains("no traffic selectors", PayloadAssert.Rejects(PayloadType.TrafficSelectorInitiator, [0, 0, 0, 0]));

    [Fact]
    public void CountAboveSelectors()
    {
        var body = Body();
        body[0] = 2;
        PayloadAssert.Rejects(PayloadType.TrafficSelectorInitiator, body);
    }

    [Fact]
    public void OctetsAfterSelectors()
    {
        PayloadAssert.Rejects(PayloadType.TrafficSelectorInitiator, [.. Body(), 0, 0]);
    }

    [Fact]
    public void BadSelectorLength()
    {
        var body = Body();
        body[7] = 40;
        PayloadAssert.Rejects(PayloadType.TrafficSelectorInitiator, body);
    }

    [Fact]
    public void UnsupportedTsType()
    {
        var body = Body();
        body[4] = 9;
        Assert.Contains("unsupported TS type", PayloadAssert.Rejects(PayloadType.TrafficSelectorInitiator, body));
    }

    [Fact]
    public void StartAddressAboveEnd()
    {
        var ts = new TsPayload(PayloadType.TrafficSelectorInitiator,
            [TrafficSelector.Create(IPAddress.Parse("10.0.0.9"), IPAddress.Parse("10.0.0.1"))]);
        PayloadAssert.Rejects(PayloadType.TrafficSelectorInitiator, ts.EncodeBody());
    }

    [Fact]
    public void StartPortAboveEnd()
    {
        var ts = new TsPayload(PayloadType.TrafficSelectorInitiator,
            [TrafficSelector.Create(IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.1"), 6, 90, 80)]);
        PayloadAssert.Rejects(PayloadType.TrafficSelectorInitiator, ts.EncodeBody());
    }

    [Fact]
    public void OpaquePorts_AreValid()
    {
        var ts = PayloadAssert.RoundTrip(new TsPayload(PayloadType.TrafficSelectorInitiator,
            [TrafficSelector.Create(IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.1"), 17, 65535, 0)]));
        Assert.True(ts.Selectors[0].IsOpaquePorts);
    }
}
