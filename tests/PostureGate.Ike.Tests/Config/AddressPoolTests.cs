using System.Net;
using PostureGate.Ike.Config;

namespace PostureGate.Ike.Tests.Config;

public class AddressPoolTests
{
    private static AddressPool Pool(string first, string last) => new(Ipv4Range.Parse(first, last));

    [Fact]
    public void LeasesLowestFreeAddressAndNeverTwice()
    {
        var pool = Pool("10.212.134.200", "10.212.134.202");
        var a = pool.Lease("dialup_0");
        var b = pool.Lease("dialup_1");
        Assert.Equal(IPAddress.Parse("10.212.134.200"), a);
        Assert.Equal(IPAddress.Parse("10.212.134.201"), b);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void SameKeyGetsSameAddress()
    {
        var pool = Pool("10.0.0.1", "10.0.0.5");
        Assert.Equal(pool.Lease("k"), pool.Lease("k"));
        Assert.Equal(1, pool.LeasedCount);
    }

    [Fact]
    public void ExhaustedReturnsNullAndReleaseReturnsAddress()
    {
        var pool = Pool("10.0.0.1", "10.0.0.2");
        Assert.NotNull(pool.Lease("a"));
        Assert.NotNull(pool.Lease("b"));
        Assert.Null(pool.Lease("c"));
        Assert.True(pool.Release("a"));
        Assert.Equal(IPAddress.Parse("10.0.0.1"), pool.Lease("c"));
        Assert.False(pool.Release("nobody"));
    }

    [Fact]
    public void SpansSeveralRanges()
    {
        var pool = new AddressPool(Ipv4Range.Parse("10.0.0.1", "10.0.0.1"), Ipv4Range.Parse("10.0.1.1", "10.0.1.1"));
        Assert.Equal(2, pool.Capacity);
        Assert.Equal(IPAddress.Parse("10.0.0.1"), pool.Lease("a"));
        Assert.Equal(IPAddress.Parse("10.0.1.1"), pool.Lease("b"));
        Assert.Null(pool.Lease("c"));
    }

    [Fact]
    public void OverlappingRangesNeverLeaseAnAddressTwice()
    {
        var pool = new AddressPool(Ipv4Range.Parse("10.0.0.1", "10.0.0.2"), Ipv4Range.Parse("10.0.0.2", "10.0.0.3"));
        Assert.Equal(IPAddress.Parse("10.0.0.1"), pool.Lease("a"));
        Assert.Equal(IPAddress.Parse("10.0.0.2"), pool.Lease("b"));
        Assert.Equal(IPAddress.Parse("10.0.0.3"), pool.Lease("c"));
        Assert.Null(pool.Lease("d"));
        Assert.True(pool.Release("b"));
        Assert.Equal(IPAddress.Parse("10.0.0.2"), pool.Lease("d"));
    }

    [Fact]
    public void ReleasedAddressesComeBackLowestFirst()
    {
        var pool = Pool("10.0.0.1", "10.0.0.10");
        for (var i = 0; i < 10; i++)
            pool.Lease($"k{i}");
        pool.Release("k7");
        pool.Release("k2");
        pool.Release("k9");
        Assert.Equal(IPAddress.Parse("10.0.0.3"), pool.Lease("x"));
        Assert.Equal(IPAddress.Parse("10.0.0.8"), pool.Lease("y"));
        Assert.Equal(IPAddress.Parse("10.0.0.10"), pool.Lease("z"));
        Assert.Null(pool.Lease("w"));
        Assert.Equal(10, pool.LeasedCount);
    }

    [Fact]
    public void ConcurrentLeasesAreDistinct()
    {
        var pool = Pool("10.0.0.0", "10.0.3.255");
        var leased = new System.Collections.Concurrent.ConcurrentBag<IPAddress?>();
        Parallel.For(0, 1024, i => leased.Add(pool.Lease($"k{i}")));
        Assert.Equal(1024, leased.Distinct().Count());
        Assert.DoesNotContain(null, leased);
    }
}
