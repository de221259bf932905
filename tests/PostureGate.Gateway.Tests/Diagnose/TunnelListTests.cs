// `diagnose vpn tunnel list` built from the configuration, the IKE SAs and the data plane's counters
// (TunnelList): a parent block per dial-up phase1, then its instances, with nothing made up.
using System.Net;
using PostureGate.Config;
using PostureGate.Config.Model;
using PostureGate.Gateway.Diagnose;
using PostureGate.Gateway.Tests.Composition;
using PostureGate.Ike.Diagnostics;
using PostureGate.Kernel;
using PostureGate.Testing;

namespace PostureGate.Gateway.Tests.Diagnose;

public class TunnelListTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly IPAddress Listen = IPAddress.Parse("198.51.100.1");

    private sealed class FakeTraffic : ITunnelTraffic
    {
        public Dictionary<string, InstanceTraffic> Instances { get; } = [];
        public Dictionary<uint, ChildTraffic> Children { get; } = [];
        public List<ChildSaInstallation> Installed { get; } = [];

        public IEnumerable<ChildSaInstallation> InstalledChildren(string instance) => Installed.Where(c => c.Instance == instance);
        public InstanceTraffic Instance(string instance) => Instances.GetValueOrDefault(instance);
        public ChildTraffic Child(uint inboundSpi) => Children.GetValueOrDefault(inboundSpi);
    }

    private static IReadOnlyList<Phase1Interface> Phase1s()
    {
        var r = ConfigLoader.Load(IkeSettingsBuilderTests.Example());
        Assert.True(r.Success, string.Join('\n', r.Diagnostics));
        return r.Config!.Phase1Interfaces;
    }

    private static IkeSaSnapshot Sa(string name, string phase1, string remote, IPAddress? vip = null, bool nat = false) =>
        Snapshots.Established(name, phase1, new IPEndPoint(Listen, nat ? 4500 : 500), IPEndPoint.Parse(remote), Now) with
        {
            TunnelId = vip ?? IPEndPoint.Parse(remote).Address,
            AssignedAddress = vip,
            NatRemote = nat,
        };

    private static List<TunnelView> Build(IReadOnlyList<IkeSaSnapshot> sas, ITunnelTraffic traffic) =>
        [.. TunnelList.Build(Phase1s(), sas, _ => Listen, _ => 7, traffic)];

    [Fact]
    public void EachDialupPhase1IsAParentFollowedByItsInstancesInNameOrder()
    {
        var views = Build([Sa("dialup_2", "dialup", "203.0.113.9:500"), Sa("dialup_10", "dialup", "203.0.113.8:500"),
            Sa("FCT_EMS_TAG_ph2_0", "FCT_EMS_TAG_ph2", "203.0.113.7:500")], new FakeTraffic());

        Assert.Equal(["dialup", "dialup_10", "dialup_2", "FCT_EMS_TAG_ph2", "FCT_EMS_TAG_ph2_0"], views.Select(v => v.Name));
        Assert.Equal([1, 2, 3, 1, 4], views.Select(v => v.Serial));
        var parent = views[0];
        Assert.False(parent.IsInstance);
        Assert.Equal("198.51.100.1:0", parent.Local);
        Assert.Equal("0.0.0.0:0", parent.Remote);
        Assert.Equal(2, parent.ChildCount);
        Assert.Equal(7, parent.BoundInterfaceIndex);
        Assert.All(views.Skip(1).Take(2), v => Assert.Equal("dialup", v.Parent));
    }

    [Fact]
    public void ParentSumsItsInstancesTraffic()
    {
        var traffic = new FakeTraffic();
        traffic.Instances["dialup_0"] = new InstanceTraffic(1, 2, 100, 200, null, null, 0, 0, 0, 0);
        traffic.Instances["dialup_1"] = new InstanceTraffic(3, 4, 300, 400, null, null, 0, 0, 0, 0);

        var parent = Build([Sa("dialup_0", "dialup", "203.0.113.9:500"), Sa("dialup_1", "dialup", "203.0.113.8:500")], traffic)[0];

        Assert.Equal((4L, 6L, 400L, 600L), (parent.RxPackets, parent.TxPackets, parent.RxBytes, parent.TxBytes));
    }

    [Fact]
    public void InstanceShowsItsVirtualIpNatPortDropsAndProxyIds()
    {
        var vip = IPAddress.Parse("192.0.2.200");
        var traffic = new FakeTraffic();
        traffic.Instances["dialup_3"] = new InstanceTraffic(5, 6, 500, 600, 2, 3, SelectorDrops: 7, PolicyDrops: 8, ReplayDrops: 9, AuthFailures: 10);
        var child = ClientInstallations.Make([], IPEndPoint.Parse("203.0.113.9:4500")) with { Instance = "dialup_3", ChildName = "DY" };
        traffic.Installed.Add(child);
        traffic.Installed.Add(child with { Instance = "dialup_4", InboundSpi = 0x3000 });
        traffic.Children[child.InboundSpi] = new ChildTraffic(11, 1100, 12, 1200);

        var v = Build([Sa("dialup_3", "dialup", "203.0.113.9:4500", vip, nat: true)], traffic).Single(t => t.IsInstance);

        Assert.Equal(3, v.Index);
        Assert.Equal("192.0.2.200", v.TunnelId);
        Assert.Equal("203.0.113.9", v.NextHop);
        Assert.True(v.NatKeepalive);
        Assert.Equal(10, v.NatKeepaliveInterval);
        Assert.Equal(4500, v.RemotePort);
        Assert.Equal((2L, 3L), (v.InboundIdleSeconds!.Value, v.OutboundIdleSeconds!.Value));
        Assert.Equal((7L, 8L, 9L, 10L), (v.SelectorDrops, v.PolicyDrops, v.ReplayDrops, v.AuthFailures));
        var proxy = Assert.Single(v.ProxyIds);
        Assert.Equal("DY", proxy.Name);
        Assert.Equal((11L, 1100L, 12L, 1200L), (proxy.InboundPackets, proxy.InboundBytes, proxy.OutboundPackets, proxy.OutboundBytes));
    }

    [Fact]
    public void InstanceWithoutNatOrVirtualIpShowsThePeerAndNoKeepalive()
    {
        var v = Build([Sa("dialup_0", "dialup", "203.0.113.9:500")], new FakeTraffic()).Single(t => t.IsInstance);

        Assert.Equal("203.0.113.9", v.TunnelId);
        Assert.False(v.NatKeepalive);
        Assert.Equal(0, v.NatKeepaliveInterval);
        Assert.Equal(0, v.RemotePort);
        Assert.Empty(v.ProxyIds);
        Assert.Empty(v.Options);
    }

    [Fact]
    public void OptionsNameOnlyWhatHolds()
    {
        var sa = Sa("dialup_0", "dialup", "203.0.113.9:500") with { Fragmentation = true, RemotePortChanged = true };

        var v = Build([sa], new FakeTraffic()).Single(t => t.IsInstance);

        Assert.Equal(["frag-rfc", "rport-chg"], v.Options);
    }

    [Fact]
    public void NameSelectsAPhase1WithItsInstancesOrOneInstance()
    {
        var views = Build([Sa("dialup_0", "dialup", "203.0.113.9:500"), Sa("FCT_EMS_TAG_ph2_0", "FCT_EMS_TAG_ph2", "203.0.113.7:500")],
            new FakeTraffic());

        Assert.Equal(["dialup", "dialup_0"], TunnelList.Named(views, "dialup").Select(v => v.Name));
        Assert.Equal(["FCT_EMS_TAG_ph2_0"], TunnelList.Named(views, "FCT_EMS_TAG_ph2_0").Select(v => v.Name));
        Assert.Equal(4, TunnelList.Named(views, null).Count);
        Assert.Empty(TunnelList.Named(views, "nosuch"));
    }
}
