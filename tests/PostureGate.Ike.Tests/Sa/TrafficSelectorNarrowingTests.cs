using System.Net;
using PostureGate.Ike.Config;
using PostureGate.Ike.Kernel;
using PostureGate.Ike.Sa;

namespace PostureGate.Ike.Tests.Sa;

public class TrafficSelectorNarrowingTests
{
    private static SelectorRange Net(string cidr) => SelectorRange.FromSubnet(Ipv4Subnet.Parse(cidr));

    [Fact]
    public void AllAddressesNarrowToVirtualIp()
    {
        var tsi = TrafficSelectorNarrowing.NarrowInitiator([Net("0.0.0.0/0")], IPAddress.Parse("192.0.2.200"));
        Assert.Equal([SelectorRange.Host(IPAddress.Parse("192.0.2.200"))], tsi);
    }

    [Fact]
    public void VirtualIpOutsideOfferIsEmpty() =>
        Assert.Empty(TrafficSelectorNarrowing.NarrowInitiator([Net("10.0.0.0/8")], IPAddress.Parse("192.0.2.200")));

    [Fact]
    public void ResponderSideIsIntersectionWithSplitNetworks()
    {
        // §2.9: the initiator asked for 203.0.113.0/24; the gateway routes 203.0.113.0/25 and 198.18.0.0/15.
        var tsr = TrafficSelectorNarrowing.Narrow([Net("203.0.113.0/24")], [Net("203.0.113.0/25"), Net("198.18.0.0/15")]);
        Assert.Equal([Net("203.0.113.0/25")], tsr);
    }

    [Fact]
    public void ProtocolAndPortsIntersect()
    {
        var i = TrafficSelectorNarrowing.Intersect(new SelectorRange(0, uint.MaxValue, 6, 0, 1000), new SelectorRange(10, 20, 0, 500, 65535));
        Assert.Equal(new SelectorRange(10, 20, 6, 500, 1000), i);
        Assert.Null(TrafficSelectorNarrowing.Intersect(new SelectorRange(0, 9, 6), new SelectorRange(0, 9, 17)));
    }
}
