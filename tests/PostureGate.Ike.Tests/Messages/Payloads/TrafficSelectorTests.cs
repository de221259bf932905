using System.Net;
using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Ike.Tests.Messages.Payloads;

public class TrafficSelectorTests
{
    private static TrafficSelector Range(string a, string b, byte proto = 0, ushort p0 = 0, ushort p1 = 65535) =>
        TrafficSelector.Create(IPAddress.Parse(a), IPAddress.Parse(b), proto, p0, p1);

    [Fact]
    public void FromPrefix_CoversTheSubnet()
    {
        var ts = TrafficSelector.FromPrefix(IPAddress.Parse("203.0.113.77"), 24);
        Assert.Equal(IPAddress.Parse("203.0.113.0"), ts.Start);
        Assert.Equal(IPAddress.Parse("203.0.113.255"), ts.End);
        Assert.True(ts.Contains(IPAddress.Parse("203.0.113.200")));
        Assert.False(ts.Contains(IPAddress.Parse("203.0.114.0")));
        Assert.False(ts.Contains(IPAddress.Parse("::1")));
        var host = TrafficSelector.FromPrefix(IPAddress.Parse("2001:db8::7"), 128);
        Assert.Equal(host.Start, host.End);
    }

    [Fact]
    public void Narrowing_AnyToTheLeasedAddress()
    {
        // §2.9 / INITIATOR-MESSAGES.md: TSi 0.0.0.0/0 from a client asking for a virtual IP is narrowed to the lease.
        var lease = TrafficSelector.FromPrefix(IPAddress.Parse("10.212.134.200"), 32);
        Assert.True(TrafficSelector.Any().TryIntersect(lease, out var narrowed));
        Assert.Equal(lease, narrowed);
        Assert.True(TrafficSelector.Any().Contains(lease));
        Assert.False(lease.Contains(TrafficSelector.Any()));
    }

    [Fact]
    public void Intersect_NarrowsAddressesPortsAndProtocol()
    {
        Assert.True(Range("10.0.0.0", "10.0.0.100", 0, 0, 1000).TryIntersect(Range("10.0.0.50", "10.0.1.0", 6, 500, 2000), out var i));
        Assert.Equal(Range("10.0.0.50", "10.0.0.100", 6, 500, 1000), i);
    }

    [Fact]
    public void Intersect_FailsWhenDisjoint()
    {
        Assert.False(Range("10.0.0.0", "10.0.0.9").TryIntersect(Range("10.0.0.10", "10.0.0.20"), out _));
        Assert.False(Range("10.0.0.0", "10.0.0.9", 6).TryIntersect(Range("10.0.0.0", "10.0.0.9", 17), out _));
        Assert.False(Range("10.0.0.0", "10.0.0.9", 6, 1, 10).TryIntersect(Range("10.0.0.0", "10.0.0.9", 6, 11, 20), out _));
        Assert.False(TrafficSelector.Any().TryIntersect(TrafficSelector.Any(ipv6: true), out _));
    }

    [Fact]
    public void OpaquePorts_MeetOnlyTheFullRange()
    {
        var opaque = Range("10.0.0.1", "10.0.0.1", 17, 65535, 0);
        Assert.True(opaque.TryIntersect(TrafficSelector.Any(), out var i));
        Assert.True(i.IsOpaquePorts);
        Assert.False(opaque.TryIntersect(Range("10.0.0.1", "10.0.0.1", 17, 53, 53), out _));
    }

    [Fact]
    public void Narrow_CollectsEveryOverlap()
    {
        var allowed = new[] { TrafficSelector.FromPrefix(IPAddress.Parse("203.0.113.0"), 24), TrafficSelector.FromPrefix(IPAddress.Parse("198.51.100.0"), 24) };
        var result = TrafficSelector.Narrow([TrafficSelector.Any()], allowed);
        Assert.Equal(allowed, result);
        Assert.Empty(TrafficSelector.Narrow([Range("192.0.2.0", "192.0.2.255")], allowed));
    }
}
