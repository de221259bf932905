using PostureGate.Gateway.Diagnose;

namespace PostureGate.Gateway.Tests.Diagnose;

public class RedirectStatusTests
{
    [Fact]
    public void Formats_state_counters_and_each_phase1()
    {
        var s = new RedirectStatus(true, 7, 12, 3,
            [new RedirectPhase1("dialup", "198.51.100.3 vpn-c.example", 500), new RedirectPhase1("ztna", "", 0)]);
        Assert.Equal(
            "draining: yes (new IKE SAs are redirected or refused; established ones stay)\n"
            + "IKE SAs: 7\n"
            + "redirected: 12  refused while draining: 3\n"
            + "phase1 dialup: redirect-gateway 198.51.100.3 vpn-c.example; redirect-threshold 500\n"
            + "phase1 ztna: redirect-gateway (none: draining refuses new clients); redirect-threshold 0 (only while draining)\n",
            s.Format());
    }
}
