// ClusterRedirectTargets: which registry nodes an RFC 5685 redirect may name (alive, not draining,
// not this node, not where the client came from, §7) and that the least loaded is named first.
using System.Net;
using PostureGate.Gateway.Cluster;

namespace PostureGate.Gateway.Tests.Cluster;

public class ClusterRedirectTargetsTests
{
    private static readonly IPAddress Local = IPAddress.Parse("198.51.100.1");

    private static ClusterNodeLoad Node(string name, string address, int sessions, bool draining = false, bool alive = true) =>
        new(name, address, sessions, draining, alive, DateTimeOffset.UnixEpoch);

    private static ClusterRedirectTargets Targets(params ClusterNodeLoad[] loads)
    {
        var targets = new ClusterRedirectTargets("gw-a");
        targets.Refresh(loads);
        return targets;
    }

    [Fact]
    public void Dead_draining_self_and_addressless_nodes_are_never_targets_and_the_rest_come_least_loaded_first()
    {
        var selected = ClusterRedirectTargets.Select(
        [
            Node("gw-a", "198.51.100.1:500", 0),
            Node("gw-b", "198.51.100.2:500", 7),
            Node("gw-c", "198.51.100.3:500", 0, alive: false),
            Node("gw-d", "198.51.100.4:500", 0, draining: true),
            Node("gw-e", "198.51.100.5:500", 3),
            Node("gw-f", "", 0),
            Node("gw-g", "0.0.0.0:500", 0),
        ], "gw-a");

        Assert.Equal(["gw-e=198.51.100.5", "gw-b=198.51.100.2"], selected.Select(t => $"{t.Name}={t.Address}"));
    }

    [Fact]
    public void The_least_loaded_other_node_is_named()
    {
        var targets = Targets(Node("gw-b", "198.51.100.2:500", 9), Node("gw-c", "198.51.100.3:500", 2));

        Assert.Equal("198.51.100.3", targets.Pick(Local, null)?.ToString());
    }

    [Fact]
    public void The_node_the_client_came_from_is_never_named_even_when_least_loaded()
    {
        var targets = Targets(Node("gw-b", "198.51.100.2:500", 9), Node("gw-c", "198.51.100.3:500", 2));

        Assert.Equal("198.51.100.2", targets.Pick(Local, IPAddress.Parse("198.51.100.3"))?.ToString());
        // Arriving on a dual-stack socket, the same address in its mapped form.
        Assert.Equal("198.51.100.2", targets.Pick(Local, IPAddress.Parse("::ffff:198.51.100.3"))?.ToString());
    }

    [Fact]
    public void A_node_registered_under_another_name_at_the_local_address_is_not_named()
    {
        var targets = Targets(Node("gw-old", "198.51.100.1:500", 0));

        Assert.Null(targets.Pick(Local, null));
    }

    [Fact]
    public void Only_a_node_of_the_family_the_client_came_over_is_named()
    {
        var targets = Targets(Node("gw-b", "[2001:db8::2]:500", 0), Node("gw-c", "198.51.100.3:500", 5));

        Assert.Equal("198.51.100.3", targets.Pick(Local, null)?.ToString());
        Assert.Equal("198.51.100.3", targets.Pick(IPAddress.Parse("::ffff:198.51.100.1"), null)?.ToString());
        Assert.Equal("2001:db8::2", targets.Pick(IPAddress.Parse("2001:db8::1"), null)?.ToString());
    }

    [Fact]
    public void With_only_the_came_from_node_left_there_is_no_target()
    {
        var targets = Targets(Node("gw-b", "198.51.100.2:500", 0), Node("gw-d", "198.51.100.4:500", 0, draining: true));

        Assert.Null(targets.Pick(Local, IPAddress.Parse("198.51.100.2")));
    }

    [Fact]
    public void Redirects_between_snapshots_count_so_a_burst_spreads_over_the_nodes()
    {
        var targets = Targets(Node("gw-b", "198.51.100.2:500", 0), Node("gw-c", "198.51.100.3:500", 2));

        var named = Enumerable.Range(0, 6).Select(_ => targets.Pick(Local, null)?.ToString()).ToList();

        // gw-b takes the first two (0, 1 against 2), then they alternate.
        Assert.Equal(4, named.Count(n => n == "198.51.100.2"));
        Assert.Equal(2, named.Count(n => n == "198.51.100.3"));
        Assert.Equal(["198.51.100.2", "198.51.100.2"], named.Take(2));
    }

    [Fact]
    public void A_refresh_replaces_the_snapshot_a_node_now_draining_is_no_longer_named()
    {
        var targets = Targets(Node("gw-b", "198.51.100.2:500", 0));
        Assert.Equal("198.51.100.2", targets.Pick(Local, null)?.ToString());

        targets.Refresh([Node("gw-b", "198.51.100.2:500", 0, draining: true)]);

        Assert.Null(targets.Pick(Local, null));
        Assert.Equal("", targets.Describe());
    }
}
