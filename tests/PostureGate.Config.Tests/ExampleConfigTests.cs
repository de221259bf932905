using System.Net;
using PostureGate.Config.Host;
using PostureGate.Config.Model;
using PostureGate.Proposals;
using PostureGate.Liveness;

namespace PostureGate.Config.Tests;

public class ExampleConfigTests
{
    private static readonly LoadResult Loaded = ConfigLoader.Load(TestPaths.Example);

    private static GatewayConfig Config => Loaded.Config!;

    // The seed's CLI sets save-password enable, which no client PostureGate serves acts on.
    private static readonly string[] SavePasswordWarnings =
    [
        $"{TestPaths.Example}:114:27: warning: 'save-password enable' has no effect in PostureGate: no client it serves is told it may keep the password",
        $"{TestPaths.Example}:146:27: warning: 'save-password enable' has no effect in PostureGate: no client it serves is told it may keep the password",
    ];

    [Fact]
    public void ExampleLoadsWithOnlyTheSavePasswordWarnings()
    {
        Assert.Equal(SavePasswordWarnings, Loaded.Diagnostics.Select(d => d.ToString()));
        Assert.NotNull(Loaded.Config);
    }

    [Fact]
    public void Example1DialupResolvesEveryReference()
    {
        var p1 = Config.Phase1Interfaces["dialup"];
        Assert.Equal(Phase1Type.Dynamic, p1.Type);
        Assert.Same(Config.Interfaces["port1"], p1.Interface);
        Assert.Equal(2, p1.IkeVersion);
        Assert.Equal("local-group", p1.AuthUserGroup!.Name);
        Assert.Equal("userc", Assert.Single(p1.AuthUserGroup.Members).Name);
        Assert.Equal(AssignIpFrom.Name, p1.AssignIpFrom);
        Assert.True(p1.TryGetIpv4Pool(out var start, out var end));
        Assert.Equal((IPAddress.Parse("10.212.134.200"), IPAddress.Parse("10.212.134.254")), (start, end));
        Assert.IsType<AddressGroup>(p1.Ipv4SplitInclude);
        Assert.True(p1.Ipv4SplitInclude!.Contains(IPAddress.Parse("203.0.113.9")));
        var tag = Assert.Single(p1.RemoteGwZtnaTags);
        Assert.Equal((1, "all_registered_clients"), (tag.EmsId, tag.Tag));
        Assert.Same(Config.FctEms["1"], tag.Ems);
        Assert.Equal(EapIdentity.SendRequest, p1.EapIdentity);
        Assert.Equal(5, p1.Proposals.Count);
        Assert.Equal("example-dialup-psk", p1.PskSecret!.Reveal());
    }

    [Fact]
    public void Example1TakesFortiOsDefaultsForWhatItLeavesOut()
    {
        var p1 = Config.Phase1Interfaces["dialup"];
        // FortiOS 7.4/7.6 CLI reference: phase1 and phase2 dhgrp default to 14 alone.
        Assert.Equal([KeyExchangeMethod.Modp2048], p1.DhGroups);
        Assert.Equal(DpdMode.OnDemand, p1.Dpd);
        Assert.Equal(TimeSpan.FromSeconds(20), p1.DpdRetryInterval);
        Assert.Equal(TimeSpan.FromSeconds(86400), p1.KeyLifetime);
        Assert.Equal(NatTraversal.Enable, p1.NatTraversal);
        Assert.Equal(IPAddress.Parse("255.255.255.255"), p1.Ipv4Netmask);
        var p2 = Config.Phase2Interfaces["DY"];
        Assert.Same(p1, p2.Phase1);
        Assert.True(p2.Pfs);
        Assert.Equal([KeyExchangeMethod.Modp2048], p2.DhGroups);
        Assert.Equal(TimeSpan.FromSeconds(43200), p2.KeyLifetime);
        Assert.Equal(SelectorType.Subnet, p2.Source.Type);
        Assert.Equal(TimeSpan.FromSeconds(180), Config.FctEms["1"].OutOfSyncThreshold);
    }

    [Fact]
    public void Example2ResolvesPoolTagsAndPolicy()
    {
        var p1 = Config.Phase1Interfaces["FCT_EMS_TAG_ph2"];
        Assert.Equal("vlan160", p1.Interface.Name);
        Assert.Equal(TimeSpan.FromSeconds(60), p1.DpdRetryInterval);
        Assert.Equal(DpdMode.OnIdle, p1.Dpd);
        Assert.Same(FirewallAddress.All, p1.Ipv4SplitInclude);
        Assert.True(p1.TryGetIpv4Pool(out var start, out var end));
        Assert.Equal((IPAddress.Parse("10.139.1.2"), IPAddress.Parse("10.139.1.20")), (start, end));
        Assert.Equal(3, Assert.Single(p1.RemoteGwZtnaTags).EmsId);
        var policy = Config.Policies["14"];
        Assert.Same(p1, Assert.Single(policy.SourceInterfaces));
        Assert.Same(Config.Interfaces["mgmt1"], Assert.Single(policy.DestinationInterfaces));
        Assert.Equal(PolicyAction.Accept, policy.Action);
        Assert.True(policy.Nat);
        Assert.Equal("ALL", Assert.Single(policy.Services).Name);
        Assert.Equal([policy], Config.PoliciesFrom(p1));
    }

    [Fact]
    public void SpansPointAtTheEditLines()
    {
        var text = File.ReadAllLines(TestPaths.Example);
        var p1 = Config.Phase1Interfaces["dialup"];
        Assert.Equal("    edit \"dialup\"", text[p1.Span.Line - 1]);
        Assert.Equal(5, p1.Span.Column);
    }

    [Fact]
    public void SecretsNeverShowInToString()
    {
        var p1 = Config.Phase1Interfaces["dialup"];
        Assert.DoesNotContain("example-dialup-psk", p1.ToString());
        Assert.Equal("****", p1.PskSecret!.ToString());
    }

    [Fact]
    public void HostWithoutTheInterfacesGivesOneWarningEach()
    {
        // port1's address is on eth0, so it resolves by address; the other two exist nowhere.
        var host = new FakeHost(new HostInterface("eth0", [IPAddress.Parse("192.0.2.4")]), new HostInterface("lo", [IPAddress.Loopback]));
        var result = ConfigLoader.Load(TestPaths.Example, host);
        Assert.NotNull(result.Config);
        Assert.Equal(
            [
                $"{TestPaths.Example}:22:5: warning: interface 'vlan160': this host has no interface of that name and none holds 198.51.100.1; name a Linux interface, or give the entry the address of one",
                $"{TestPaths.Example}:28:5: warning: interface 'mgmt1': this host has no interface of that name and none holds 203.0.113.1; name a Linux interface, or give the entry the address of one",
                .. SavePasswordWarnings,
            ],
            result.Diagnostics.Select(d => d.ToString()));
        var resolver = new InterfaceResolver(host);
        Assert.Equal(new InterfaceResolution(InterfaceMatch.ByAddress, host.GetInterfaces()[0]), resolver.Resolve(result.Config!.Interfaces["port1"]));
    }

    private sealed class FakeHost(params HostInterface[] interfaces) : IHostInterfaceSource
    {
        public IReadOnlyList<HostInterface> GetInterfaces() => interfaces;
    }
}
