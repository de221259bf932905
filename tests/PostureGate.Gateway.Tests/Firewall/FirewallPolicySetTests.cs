using System.Buffers.Binary;
using System.Net;
using PostureGate.Config.Model;
using PostureGate.Gateway.Firewall;

namespace PostureGate.Gateway.Tests.Firewall;

public class FirewallPolicySetTests
{
    private static uint Ip(string s) => BinaryPrimitives.ReadUInt32BigEndian(IPAddress.Parse(s).GetAddressBytes());

    private static AddressSet Subnet(string net, int prefix)
    {
        var start = Ip(net) & (prefix == 0 ? 0 : uint.MaxValue << (32 - prefix));
        return new AddressSet([(start, start | ~(prefix == 0 ? 0 : uint.MaxValue << (32 - prefix)))], []);
    }

    private static CompiledPolicy Policy(int id, PolicyAction action, AddressSet dst, string dstintf = "lan", ServiceMatcher? svc = null) => new()
    {
        Id = id,
        SourceInterfaces = new HashSet<string> { "dialup" },
        DestinationInterfaces = new HashSet<string> { dstintf },
        Source = AddressSet.All,
        Destination = dst,
        Service = svc ?? ServiceMatcher.All,
        Action = action,
    };

    private static PacketFacts Tcp(string dst, ushort port, string dstintf = "lan") =>
        new("dialup", dstintf, Ip("192.0.2.200"), Ip(dst), 6, port, 100);

    [Fact]
    public void First_matching_policy_decides_and_counts()
    {
        var deny = Policy(2, PolicyAction.Deny, Subnet("203.0.113.10", 32));
        var accept = Policy(1, PolicyAction.Accept, Subnet("203.0.113.0", 24));
        var set = new FirewallPolicySet([deny, accept]);
        Assert.False(set.Allows(Tcp("203.0.113.10", 80)));
        Assert.True(set.Allows(Tcp("203.0.113.11", 80)));
        Assert.True(set.Allows(Tcp("203.0.113.12", 80)));
        Assert.Equal(1, deny.Hits);
        Assert.Equal(2, accept.Hits);
        Assert.Equal(200, accept.Bytes);
    }

    [Fact]
    public void Nothing_matching_is_the_implicit_deny()
    {
        var set = new FirewallPolicySet([Policy(1, PolicyAction.Accept, Subnet("203.0.113.0", 24))]);
        Assert.False(set.Allows(Tcp("198.51.100.7", 80)));           // other destination
        Assert.False(set.Allows(Tcp("203.0.113.7", 80, "wan")));      // other egress interface
        Assert.False(set.Allows(Tcp("203.0.113.7", 80, null!)));      // no route
        Assert.Equal(3, set.ImplicitDenies);
    }

    [Fact]
    public void Services_match_protocol_and_destination_port()
    {
        Assert.True(ServiceMatcher.TryGetPredefined("HTTPS", out var https));
        var set = new FirewallPolicySet([Policy(1, PolicyAction.Accept, AddressSet.All, svc: https)]);
        Assert.True(set.Allows(Tcp("203.0.113.7", 443)));
        Assert.False(set.Allows(Tcp("203.0.113.7", 80)));
        Assert.False(set.Allows(new PacketFacts("dialup", "lan", 1, 2, 17, 443, 10))); // UDP 443
        Assert.False(ServiceMatcher.TryGetPredefined("NOPE", out _));
    }

    [Fact]
    public void Address_sets_merge_ranges_and_consult_dynamic_members()
    {
        var dyn = new FixedMatcher(Ip("10.9.9.9"));
        var set = new AddressSet([(Ip("192.0.2.10"), Ip("192.0.2.20")), (Ip("192.0.2.15"), Ip("192.0.2.30")), (Ip("192.0.2.31"), Ip("192.0.2.31"))], [dyn]);
        Assert.True(set.Contains(Ip("192.0.2.10")));
        Assert.True(set.Contains(Ip("192.0.2.31")));
        Assert.False(set.Contains(Ip("192.0.2.9")));
        Assert.False(set.Contains(Ip("192.0.2.32")));
        Assert.True(set.Contains(Ip("10.9.9.9")));
        Assert.True(AddressSet.All.Contains(uint.MaxValue));
    }

    [Fact]
    public void Reads_ipv4_facts_and_refuses_non_ipv4()
    {
        var pkt = new byte[40];
        pkt[0] = 0x45;
        pkt[9] = 6;
        IPAddress.Parse("192.0.2.200").GetAddressBytes().CopyTo(pkt, 12);
        IPAddress.Parse("203.0.113.10").GetAddressBytes().CopyTo(pkt, 16);
        BinaryPrimitives.WriteUInt16BigEndian(pkt.AsSpan(22), 5201);
        Assert.True(FirewallPolicySet.TryReadIpv4(pkt, "dialup", "lan", out var f));
        Assert.Equal((Ip("192.0.2.200"), Ip("203.0.113.10"), (byte)6, (ushort)5201), (f.Source, f.Destination, f.Protocol, f.DestinationPort));
        pkt[0] = 0x60;
        Assert.False(FirewallPolicySet.TryReadIpv4(pkt, "dialup", "lan", out _));
        Assert.False(FirewallPolicySet.TryReadIpv4(pkt.AsSpan(0, 10), "dialup", "lan", out _));
    }

    [Fact]
    public void Route_table_from_iproute2_json_finds_the_longest_prefix()
    {
        var rt = RouteTable.ParseIpJson("""
            [{"dst":"default","gateway":"198.51.100.254","dev":"pgg0"},
             {"dst":"203.0.113.0/24","dev":"pgg1","protocol":"kernel","scope":"link","prefsrc":"203.0.113.1"},
             {"dst":"203.0.113.128/25","dev":"pgg2"},
             {"dst":"192.0.2.200","dev":"dialup"},
             {"type":"blackhole","dst":"198.18.0.0/15"}]
            """);
        Assert.Equal(4, rt.Count);
        Assert.Equal("pgg1", rt.Lookup(Ip("203.0.113.10")));
        Assert.Equal("pgg2", rt.Lookup(Ip("203.0.113.200")));
        Assert.Equal("dialup", rt.Lookup(Ip("192.0.2.200")));
        Assert.Equal("pgg0", rt.Lookup(Ip("8.8.8.8")));
        Assert.Null(RouteTable.Empty.Lookup(1));
    }

    [Fact]
    public void Nat_script_replaces_the_whole_table()
    {
        var script = NatMasquerade.Script([new("mgmt1", "10.139.1.2-10.139.1.20"), new("mgmt1", "10.139.1.2-10.139.1.20")]);
        Assert.StartsWith("add table ip posturegate\ndelete table ip posturegate\n", script);
        Assert.Single(script.Split('\n'), l => l.Contains("masquerade"));
        Assert.Contains("oifname \"mgmt1\" ip saddr 10.139.1.2-10.139.1.20 masquerade", script);
    }

    private sealed class FixedMatcher(uint ip) : IAddressMatcher
    {
        public bool Contains(uint address) => address == ip;
    }
}
