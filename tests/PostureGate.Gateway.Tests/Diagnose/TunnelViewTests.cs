// `diagnose vpn tunnel list`: what the gateway knows, and nothing it would have to make up
// (FortiOS's options bitmask, refcnt, run_state, country are left out).
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
        DpdMode = "on-idle",
        Options = options,
    };

    [Fact]
    public void OptionsNameWhatHoldsAndNothingIsInvented()
    {
        var text = Instance("frag-rfc", "rgwy-chg", "rport-chg").Format();

        Assert.Contains(" tun_id=10.139.1.2 tun_id6=::10.139.1.2 ", text, StringComparison.Ordinal);
        Assert.Contains(" encap=none options=frag-rfc rgwy-chg rport-chg  role=primary ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("options[", text, StringComparison.Ordinal);
        Assert.DoesNotContain("refcnt=", text, StringComparison.Ordinal);
        Assert.DoesNotContain("run_state=", text, StringComparison.Ordinal);
        Assert.DoesNotContain("country=", text, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutOptionsTheFieldIsLeftOut()
    {
        Assert.Contains(" encap=none role=primary ", Instance().Format(), StringComparison.Ordinal);
    }
}
