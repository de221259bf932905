// AddressSet: a policy's source or destination as sorted, merged IPv4 ranges plus dynamic sets
// (EMS ZTNA tags) asked at packet time; edges of every range are inside, one past is outside.
using PostureGate.Gateway.Firewall;

namespace PostureGate.Gateway.Tests.Firewall;

public class AddressSetTests
{
    private sealed class OneAddress(uint address) : IAddressMatcher
    {
        public bool Contains(uint a) => a == address;
    }

    [Fact]
    public void RangeEdgesAreInsideAndOnePastIsOutside()
    {
        var set = new AddressSet([(0xC0000210, 0xC000021F)], []); // 192.0.2.16-31

        Assert.True(set.Contains(0xC0000210));
        Assert.True(set.Contains(0xC000021F));
        Assert.False(set.Contains(0xC000020F));
        Assert.False(set.Contains(0xC0000220));
    }

    [Fact]
    public void UnsortedOverlappingAndAdjacentRangesAllMatch()
    {
        var set = new AddressSet([(200, 300), (10, 20), (21, 30), (15, 25)], []);

        Assert.All(new uint[] { 10, 20, 21, 30, 200, 300 }, a => Assert.True(set.Contains(a)));
        Assert.All(new uint[] { 9, 31, 199, 301 }, a => Assert.False(set.Contains(a)));
    }

    [Fact]
    public void AnInvertedRangeMatchesNothing()
    {
        var set = new AddressSet([(30, 10)], []);

        Assert.False(set.Contains(10));
        Assert.False(set.Contains(20));
    }

    [Fact]
    public void DynamicSetsAreAskedWhenNoRangeMatches()
    {
        var set = new AddressSet([(10, 20)], [new OneAddress(500)]);

        Assert.True(set.Contains(500));
        Assert.False(set.Contains(501));
    }

    [Fact]
    public void AllIsEveryAddressAndKnowsIt()
    {
        Assert.True(AddressSet.All.IsAll);
        Assert.True(AddressSet.All.Contains(0));
        Assert.True(AddressSet.All.Contains(uint.MaxValue));
        Assert.False(new AddressSet([(0, uint.MaxValue - 1)], []).IsAll);
        Assert.True(new AddressSet([(0, 100), (101, uint.MaxValue)], []).IsAll); // merged into one
    }
}
