// `diagnose vpn ike gateway list --cluster`: one line per node (its state when not plainly alive),
// one indented line per session under its node.
using PostureGate.Gateway.Cluster;
using PostureGate.Gateway.Diagnose;

namespace PostureGate.Gateway.Tests.Diagnose;

public class ClusterGatewayListTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Each_node_is_followed_by_its_sessions()
    {
        ClusterNodeLoad[] nodes =
        [
            new("gw-b", "192.0.2.2:500", 0, Draining: true, Alive: true, Now),
            new("gw-a", "192.0.2.1:500", 1, Draining: false, Alive: true, Now),
            new("gw-c", "", 0, Draining: false, Alive: false, Now.AddMinutes(-1)),
        ];
        ClusterSession[] sessions =
        [
            new("gw-a", "dialup_0", "dialup", "alice", "6108A917", "10.212.134.1", "198.51.100.7:4500", Now.AddSeconds(-34)),
        ];

        var text = ClusterGatewayList.Format(nodes, sessions, Now);

        Assert.Equal(
            "node gw-b 192.0.2.2:500: 0 session(s) (draining)\n" +
            "node gw-a 192.0.2.1:500: 1 session(s)\n" +
            "  name: dialup_0  phase1: dialup  user: alice  uid: 6108A917  vip: 10.212.134.1  peer: 198.51.100.7:4500  created: 34s ago\n" +
            "node gw-c -: 0 session(s) (no heartbeat)\n", text);
    }

    [Fact]
    public void Json_nests_the_sessions_under_their_node()
    {
        ClusterNodeLoad[] nodes = [new("gw-a", "192.0.2.1:500", 1, false, true, Now)];
        ClusterSession[] sessions = [new("gw-a", "dialup_0", "dialup", null, null, null, "198.51.100.7:500", Now)];

        var json = System.Text.Json.JsonDocument.Parse(ClusterGatewayList.FormatJson(nodes, sessions)).RootElement;

        var node = Assert.Single(json.EnumerateArray());
        Assert.Equal("gw-a", node.GetProperty("name").GetString());
        Assert.Equal("dialup_0", Assert.Single(node.GetProperty("sessions").EnumerateArray()).GetProperty("instance").GetString());
    }
}
