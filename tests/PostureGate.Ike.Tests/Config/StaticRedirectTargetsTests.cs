using System.Net;
using PostureGate.Ike.Config;
using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Ike.Tests.Config;

public class StaticRedirectTargetsTests
{
    private static readonly IPAddress Self = IPAddress.Parse("198.51.100.1");

    private static StaticRedirectTargets Targets(params string[] gateways) =>
        new(gateways.Select(g => RedirectGateway.TryParse(g, out var r, out _) ? r! : throw new ArgumentException(g)));

    [Fact]
    public void TakesTheGatewaysInTurn()
    {
        var t = Targets("198.51.100.3", "198.51.100.4");
        var picked = Enumerable.Range(0, 4).Select(_ => t.Pick(Self, null)!.ToString()).ToList();
        Assert.Equal(["198.51.100.3", "198.51.100.4", "198.51.100.3", "198.51.100.4"], picked);
    }

    [Fact]
    public void SkipsThisNode()
    {
        var t = Targets("198.51.100.1", "198.51.100.3");
        Assert.All(Enumerable.Range(0, 5), _ => Assert.Equal("198.51.100.3", t.Pick(Self, null)!.ToString()));
    }

    [Fact]
    public void SkipsThisNode_SeenAsMappedIpv4() =>
        Assert.Null(Targets("198.51.100.1").Pick(IPAddress.Parse("::ffff:198.51.100.1"), null));

    [Fact]
    public void NeverSendsBackWhereThePeerCameFrom()
    {
        var t = Targets("198.51.100.3", "198.51.100.4");
        var from = IPAddress.Parse("198.51.100.3");
        Assert.All(Enumerable.Range(0, 5), _ => Assert.Equal("198.51.100.4", t.Pick(Self, from)!.ToString()));
    }

    [Fact]
    public void NoneLeft_IsNull()
    {
        var t = Targets("198.51.100.1", "198.51.100.3");
        Assert.Null(t.Pick(Self, IPAddress.Parse("198.51.100.3")));
    }

    [Fact]
    public void HostNamesAreNeverThisNode() =>
        Assert.Equal("vpn-b.pg.example", Targets("vpn-b.pg.example").Pick(Self, Self)!.ToString());

    [Fact]
    public void AnEmptyList_IsRefused() => Assert.Throws<ArgumentException>(() => new StaticRedirectTargets([]));
}
