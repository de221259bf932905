// `diagnose firewall policy list` (FirewallPolicyList): policies in match order with their
// counters, the implicit deny last.
using PostureGate.Config.Model;
using PostureGate.Gateway.Diagnose;
using PostureGate.Gateway.Firewall;

namespace PostureGate.Gateway.Tests.Diagnose;

public class FirewallPolicyListTests
{
    private static CompiledPolicy Policy(int id, string name, PolicyAction action, bool nat) => new()
    {
        Id = id,
        Name = name,
        SourceInterfaces = new HashSet<string> { "dialup" },
        DestinationInterfaces = new HashSet<string> { "lan" },
        Source = AddressSet.All,
        Destination = AddressSet.All,
        Service = ServiceMatcher.All,
        Action = action,
        Nat = nat,
    };

    [Fact]
    public void PoliciesInMatchOrderThenTheImplicitDeny()
    {
        var set = new FirewallPolicySet([Policy(2, "to-lan", PolicyAction.Accept, nat: true), Policy(1, "block", PolicyAction.Deny, nat: false)]);

        Assert.Equal(
            "policy 2 name=\"to-lan\" action=accept nat=enable hits=0 bytes=0\n"
            + "policy 1 name=\"block\" action=deny nat=disable hits=0 bytes=0\n"
            + "implicit deny hits=0\n",
            FirewallPolicyList.Format(set));
    }

    [Fact]
    public void CountsComeFromTheSet()
    {
        var set = new FirewallPolicySet([Policy(1, "to-lan", PolicyAction.Accept, nat: false)]);
        set.Decide(new PacketFacts("dialup", "lan", 0xc0000201, 0xcb00710a, 6, 80, 120));
        set.Decide(new PacketFacts("wan", "lan", 0xc0000201, 0xcb00710a, 6, 80, 60));

        Assert.Equal("policy 1 name=\"to-lan\" action=accept nat=disable hits=1 bytes=120\nimplicit deny hits=1\n", FirewallPolicyList.Format(set));
    }
}
