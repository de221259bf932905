// ClientDataPath without a device: which routes `pgate client --tun` points into its TUN device.
using System.Net;
using PostureGate.Kernel;
using PostureGate.Net;

namespace PostureGate.Client.Tests;

/// <summary>
/// Which routes `pgate client --tun` points into its TUN device (ClientDataPath.RoutesFor):
/// the gateway's split networks when it sends them (pgate, FortiOS), else its traffic selectors
/// as prefixes (strongSwan narrows TSr instead). No lab needed.
/// </summary>
public sealed class ClientDataPathTests
{
    [Fact]
    public void SplitNetworks_WhenAnnounced_AreTheRoutes()
    {
        var split = new[] { Subnet("203.0.113.0", 24), Subnet("198.18.0.0", 15) };

        var routes = ClientDataPath.RoutesFor(split, Child(("10.0.0.0", "10.255.255.255")));

        Assert.Equal(["203.0.113.0/24", "198.18.0.0/15"], routes.Select(r => r.ToString()));
    }

    [Fact]
    public void NoSplitNetworks_TheSelectorPrefix_IsTheRoute()
    {
        var routes = ClientDataPath.RoutesFor([], Child(("203.0.113.0", "203.0.113.255")));

        Assert.Equal(["203.0.113.0/24"], routes.Select(r => r.ToString()));
    }

    [Fact]
    public void UnalignedSelectorRange_IsCoveredExactly_ByTheFewestPrefixes()
    {
        // 192.0.2.5 - 192.0.2.18: .5/32 .6/31 .8/29 .16/31 .18/32 (14 addresses, nothing more).
        var routes = ClientDataPath.RoutesFor([], Child(("192.0.2.5", "192.0.2.18")));

        Assert.Equal(["192.0.2.5/32", "192.0.2.6/31", "192.0.2.8/29", "192.0.2.16/31", "192.0.2.18/32"], routes.Select(r => r.ToString()));
        Assert.Equal(14L, routes.Sum(r => (long)r.Last - r.First + 1));
    }

    [Fact]
    public void FullRangeSelector_IsTheDefaultRoute()
    {
        var routes = ClientDataPath.RoutesFor([], Child(("0.0.0.0", "255.255.255.255")));

        Assert.Equal(["0.0.0.0/0"], routes.Select(r => r.ToString()));
    }

    private static Ipv4Subnet Subnet(string network, int length) => new(Ipv4.ToUInt32(IPAddress.Parse(network)), length);

    private static ChildSaInstallation Child(params (string First, string Last)[] remote) =>
        ClientInstallations.Make([.. remote.Select(r => new SelectorRange(Ipv4.ToUInt32(IPAddress.Parse(r.First)), Ipv4.ToUInt32(IPAddress.Parse(r.Last))))],
            new IPEndPoint(IPAddress.Parse("198.51.100.1"), 4500));
}
