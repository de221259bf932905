using System.Net;
using PostureGate.Config;
using PostureGate.Gateway.Composition;
using PostureGate.Ike.Config;
using PostureGate.Net;
using PostureGate.Proposals;

namespace PostureGate.Gateway.Tests.Composition;

public class IkeSettingsBuilderTests
{
    internal static string Example()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "examples", "dialup.conf");
            if (File.Exists(candidate))
                return candidate;
        }
        throw new FileNotFoundException("examples/dialup.conf");
    }

    private static Config.Model.GatewayConfig Load()
    {
        var r = ConfigLoader.Load(Example());
        Assert.True(r.Success, string.Join('\n', r.Diagnostics));
        return r.Config!;
    }

    [Fact]
    public void Seed_example_1_becomes_a_peer_config_with_its_pool_users_dns_and_child()
    {
        var config = Load();
        var dialup = IkeSettingsBuilder.Build(config).Single(p => p.Name == "dialup");
        Assert.Equal(["aes128-sha256", "aes256-sha256", "aes128gcm-prfsha256", "aes256gcm-prfsha384", "chacha20poly1305-prfsha256"],
            dialup.Proposals.Select(p => p.Name));
        Assert.True(dialup.EapEnabled);
        Assert.True(dialup.EapIdentityRequest);
        // assign-ip-from name → the range of dialup_range: 10.212.134.200-254, leased from the first.
        Assert.Equal(IPAddress.Parse("10.212.134.200"), dialup.AddressPool!.Lease("x"));
        Assert.Equal(55, dialup.AddressPool.Capacity);
        // dns-mode auto → system dns.
        Assert.Equal([IPAddress.Parse("192.0.2.53"), IPAddress.Parse("198.51.100.53")], dialup.DnsServers);
        // authusrgrp local-group has userc: known with its password; u1 is in another group.
        Assert.NotNull(dialup.EapPasswordLookup("userc"));
        Assert.Null(dialup.EapPasswordLookup("u1"));
        Assert.Null(dialup.EapPasswordLookup("nobody"));
        var child = Assert.Single(dialup.Children);
        Assert.Equal("DY", child.Name);
        Assert.Equal(7, child.Proposals.Count);
        Assert.Equal(1024, child.ReplayWindow);
        Assert.NotEmpty(dialup.Psk);
    }

    [Fact]
    public void Without_system_dns_dns_mode_auto_hands_out_no_dns_server()
    {
        // Not FortiOS's FortiGuard default (96.45.45.45, 96.45.46.46): no third party gets the users' lookups.
        var text = File.ReadAllText(Example());
        var start = text.IndexOf("config system dns", StringComparison.Ordinal);
        var end = text.IndexOf("end\n", start, StringComparison.Ordinal) + 4;
        var r = ConfigLoader.Parse(text.Remove(start, end - start), "no-dns.conf");
        Assert.True(r.Success, string.Join('\n', r.Diagnostics));
        var dialup = IkeSettingsBuilder.Build(r.Config!).Single(p => p.Name == "dialup");
        Assert.Empty(dialup.DnsServers);
    }

    [Fact]
    public void Seed_example_2_keeps_its_dh_groups_dpd_and_the_all_split()
    {
        var p = IkeSettingsBuilder.Build(Load()).Single(p => p.Name == "FCT_EMS_TAG_ph2");
        Assert.Equal([KeyExchangeMethod.Ecp384, KeyExchangeMethod.Ecp521], p.DhGroups);
        Assert.Equal(PostureGate.Liveness.DpdMode.OnIdle, p.DpdMode);
        Assert.Equal(TimeSpan.FromSeconds(60), p.DpdRetryInterval);
        Assert.Equal([Ipv4Subnet.Any], p.SplitInclude);
        Assert.Equal(IPAddress.Parse("10.139.1.2"), p.AddressPool!.Lease("a"));
        Assert.Equal(IPAddress.Parse("10.139.1.3"), p.AddressPool!.Lease("b"));
    }

    [Fact]
    public void Redirect_gateways_and_threshold_reach_the_phase1()
    {
        var text = MinimalDialup.Config.Replace("set psksecret \"psk\"",
            "set psksecret \"psk\"\n        set redirect-gateway \"127.0.0.1\" \"198.51.100.3\" \"vpn-c.example\"\n        set redirect-threshold 2", StringComparison.Ordinal);
        var r = ConfigLoader.Parse(text, "redirect.conf");
        Assert.True(r.Success, string.Join('\n', r.Diagnostics));
        var p = Assert.Single(IkeSettingsBuilder.Build(r.Config!));
        Assert.Equal(2, p.RedirectThreshold);
        var targets = Assert.IsType<StaticRedirectTargets>(p.RedirectTargets);
        Assert.Equal("127.0.0.1 198.51.100.3 vpn-c.example", targets.Describe());
        // The phase1 listens on 127.0.0.1: that entry is this node and never picked.
        Assert.Equal(["198.51.100.3", "vpn-c.example", "198.51.100.3"],
            Enumerable.Range(0, 3).Select(_ => targets.Pick(IPAddress.Loopback, null)!.ToString()));
    }

    [Fact]
    public void Without_redirect_gateway_the_phase1_has_no_targets()
    {
        var r = ConfigLoader.Parse(MinimalDialup.Config, "plain.conf");
        var p = Assert.Single(IkeSettingsBuilder.Build(r.Config!));
        Assert.Null(p.RedirectTargets);
        Assert.Equal(0, p.RedirectThreshold);
    }

    [Fact]
    public void In_a_cluster_a_phase1_without_redirect_gateway_redirects_to_the_cluster_and_a_configured_list_wins()
    {
        var cluster = new PostureGate.Gateway.Cluster.ClusterRedirectTargets("gw-a");
        var plain = Assert.Single(IkeSettingsBuilder.Build(ConfigLoader.Parse(MinimalDialup.Config, "plain.conf").Config!, clusterTargets: cluster));
        Assert.Same(cluster, plain.RedirectTargets);

        var text = MinimalDialup.Config.Replace("set psksecret \"psk\"", "set psksecret \"psk\"\n        set redirect-gateway \"198.51.100.3\"", StringComparison.Ordinal);
        var listed = Assert.Single(IkeSettingsBuilder.Build(ConfigLoader.Parse(text, "listed.conf").Config!, clusterTargets: cluster));
        Assert.IsType<StaticRedirectTargets>(listed.RedirectTargets);
    }

    [Fact]
    public void Policy_14_compiles_to_accept_with_nat_from_the_tunnel()
    {
        var config = Load();
        var set = FirewallBuilder.Build(config);
        var p = Assert.Single(set.Policies);
        Assert.Equal(14, p.Id);
        Assert.True(p.Nat);
        Assert.Contains("FCT_EMS_TAG_ph2", p.SourceInterfaces);
        var facts = new PostureGate.Gateway.Firewall.PacketFacts("FCT_EMS_TAG_ph2", "mgmt1", 0x0A8B0102, 0xCB00710A, 6, 443, 60);
        Assert.True(set.Allows(facts));
        Assert.False(set.Allows(facts with { SourceInterface = "dialup" }));
        var nat = FirewallBuilder.Masquerade(config, i => i.Name == "mgmt1" ? "eth9" : null).ToList();
        Assert.Equal([new PostureGate.Gateway.Firewall.MasqueradeRule("eth9", "10.139.1.2-10.139.1.20")], nat);
    }
}
