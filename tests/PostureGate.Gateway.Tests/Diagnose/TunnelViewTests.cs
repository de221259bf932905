// `diagnose vpn tunnel list`: what the gateway knows, and nothing it would have to make up
// (FortiOS's options bitmask, refcnt, run_state, country, and the fields of features
// PostureGate does not have are left out).
using PostureGate.Gateway.Diagnose;

namespace PostureGate.Gateway.Tests.Diagnose;

public class TunnelViewTests
{
    private static TunnelView Instance(params string[] options) => new()
    {
        Name = "FCT_EMS_TAG_ph2_0",
        Serial = 2,
        Local = "198.51.100.1:4500",
        Remote = "203.0.113.7:55846",
        TunnelId = "10.139.1.2",
        Parent = "FCT_EMS_TAG_ph2",
        BoundInterfaceIndex = 1123,
        RealInterfaceIndex = 1123,
        DpdMode = "on-idle",
        Options = options,
        ProxyIds =
        [
            new ProxyIdView("FCT_EMS_TAG_ph2", "0:0.0.0.0-255.255.255.255:0", "0:10.139.1.2-10.139.1.2:0", 0xc0ffee01, 0x0badf00d,
                "aes-gcm", 16, "null", 1024, 43200, 43000, 1, 84, 2, 168),
        ],
    };

    private static TunnelView Phase1(int ifindex) => new()
    {
        Name = "FCT_EMS_TAG_ph2",
        Serial = 1,
        Local = "198.51.100.1:0",
        Remote = "0.0.0.0:0",
        BoundInterfaceIndex = ifindex,
        ChildCount = 1,
        DpdMode = "on-idle",
    };

    [Fact]
    public void OptionsNameWhatHoldsAndNothingIsInvented()
    {
        var text = Instance("frag-rfc", "rgwy-chg", "rport-chg").Format();

        Assert.Contains(" tun_id=10.139.1.2 tun_id6=::10.139.1.2 ", text, StringComparison.Ordinal);
        Assert.Contains("bound_if=1123 real_if=1123 tun=intf mode=dial_inst/3 encap=none options=frag-rfc rgwy-chg rport-chg\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("options[", text, StringComparison.Ordinal);
        Assert.DoesNotContain("refcnt=", text, StringComparison.Ordinal);
        Assert.DoesNotContain("run_state=", text, StringComparison.Ordinal);
        Assert.DoesNotContain("country=", text, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutOptionsTheFieldIsLeftOut()
    {
        Assert.Contains(" encap=none\n", Instance().Format(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lgwy=")]
    [InlineData("role=")]
    [InlineData("accept_traffic=")]
    [InlineData("overlay_id=")]
    [InlineData("weight=")]
    [InlineData("ad=")]
    [InlineData("fec:")]
    [InlineData("dst_mtu=")]
    [InlineData("ref=")]
    [InlineData("options=10226")]
    [InlineData("type=")]
    [InlineData("soft=")]
    [InlineData("mtu=")]
    [InlineData("status=ok")]
    [InlineData("seqno=")]
    [InlineData("/0B")]
    public void FieldsOfFeaturesPostureGateLacksAreLeftOut(string field)
    {
        Assert.DoesNotContain(field, Instance().Format() + Phase1(9).Format(), StringComparison.Ordinal);
    }

    [Fact]
    public void TheProxyIdShowsItsSelectorProtocolAndPlace()
    {
        var text = Instance().Format();

        Assert.Contains("proxyid=FCT_EMS_TAG_ph2 proto=0 sa=1 serial=1\n", text, StringComparison.Ordinal);
        Assert.Contains("  SA:  expire=43000 replaywin=1024\n", text, StringComparison.Ordinal);
        Assert.Contains("       life: timeout=43000/43200\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ThePhase1HasNoTunnelIdOfItsOwn()
    {
        var text = Phase1(9).Format();

        Assert.Contains("name=FCT_EMS_TAG_ph2 ver=2 serial=1 198.51.100.1:0->0.0.0.0:0 nexthop= status=up\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("tun_id", text, StringComparison.Ordinal);
        Assert.Contains("bound_if=9 tun=intf mode=dialup/2 encap=none\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void IdleTimesShowOnlyOncePacketsPassed()
    {
        Assert.Contains("proxyid_num=1 child_num=0\n", Instance().Format(), StringComparison.Ordinal);
        Assert.Contains("proxyid_num=1 child_num=0 ilast=15 olast=3\n", (Instance() with { InboundIdleSeconds = 15, OutboundIdleSeconds = 3 }).Format(), StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownInterfaceGivesNoBoundIf()
    {
        // Index 0 is no interface: the field goes, nothing else changes.
        Assert.Equal(Phase1(9).Format().Replace("bound_if=9 ", "", StringComparison.Ordinal), Phase1(0).Format());
    }
}
