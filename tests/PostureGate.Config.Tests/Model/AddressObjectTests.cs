// firewall address / addrgrp objects of the example configuration: the ranges they cover, and the
// built-in "all" address and "any" interface.
using System.Net;
using PostureGate.Config.Model;

namespace PostureGate.Config.Tests.Model;

public class AddressObjectTests
{
    [Fact]
    public void AddressObjectsCoverTheirRanges()
    {
        var config = ConfigLoader.Load(TestPaths.Example).Config!;
        var range = config.Addresses["dialup_range"];
        Assert.True(range.Contains(IPAddress.Parse("10.212.134.254")));
        Assert.False(range.Contains(IPAddress.Parse("10.212.134.255")));
        Assert.False(config.Addresses["EMS3_ZTNA_a"].Contains(IPAddress.Parse("10.0.0.1")));
        Assert.Equal([(IPAddress.Parse("203.0.113.0"), IPAddress.Parse("203.0.113.255"))], config.AddressGroups["dialup_split"].Ranges());
        Assert.Same(FirewallAddress.All, config.FindAddress("all"));
        Assert.IsType<AnyInterface>(config.FindInterface("any"));
        Assert.Same(config.Phase1Interfaces["dialup"], config.FindInterface("dialup"));
    }
}
