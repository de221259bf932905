// PoolRoutes: the pool routes follow the configuration on every apply (start, then each reload).
using Microsoft.Extensions.Logging.Abstractions;
using PostureGate.Gateway.Net;
using PostureGate.Net;
using PostureGate.Platform;

namespace PostureGate.Gateway.Tests.Net;

public class PoolRoutesTests
{
    private readonly List<string> _commands = [];
    private readonly HashSet<string> _refused = [];
    private readonly PoolRoutes _routes;

    public PoolRoutesTests() => _routes = new PoolRoutes(Ip, NullLogger.Instance);

    private HostCommandResult Ip(string[] args)
    {
        var line = $"ip {string.Join(' ', args)}";
        _commands.Add(line);
        return new HostCommandResult(line, _refused.Contains(line) ? 2 : 0, "", _refused.Contains(line) ? "RTNETLINK answers: No such device" : "");
    }

    private static (Ipv4Subnet, string) Route(string prefix, string device = "dialup") => (Ipv4Subnet.Parse(prefix), device);

    [Fact]
    public void A_pool_added_later_gets_its_route_and_the_installed_ones_are_not_repeated()
    {
        _routes.Apply([Route("192.0.2.200/29")]);
        _routes.Apply([Route("192.0.2.200/29"), Route("192.0.2.64/27", "FCT_EMS_TAG_ph2")]);

        Assert.Equal(["ip route replace 192.0.2.200/29 dev dialup", "ip route replace 192.0.2.64/27 dev FCT_EMS_TAG_ph2"], _commands);
    }

    [Fact]
    public void A_pool_dropped_or_moved_loses_its_old_route()
    {
        _routes.Apply([Route("192.0.2.200/29"), Route("192.0.2.208/28")]);
        _commands.Clear();

        _routes.Apply([Route("192.0.2.208/28"), Route("192.0.2.64/27")]);

        Assert.Equal(["ip route del 192.0.2.200/29 dev dialup", "ip route replace 192.0.2.64/27 dev dialup"], _commands);
        Assert.Equal(["192.0.2.208/28 dialup", "192.0.2.64/27 dialup"], _routes.Installed.Select(r => $"{r.Prefix} {r.Device}").Order());
    }

    [Fact]
    public void A_refused_route_is_tried_again_on_the_next_apply()
    {
        _refused.Add("ip route replace 192.0.2.64/27 dev dialup");
        _routes.Apply([Route("192.0.2.64/27")]);
        Assert.Empty(_routes.Installed);

        _refused.Clear();
        _routes.Apply([Route("192.0.2.64/27")]);

        Assert.Equal(["ip route replace 192.0.2.64/27 dev dialup", "ip route replace 192.0.2.64/27 dev dialup"], _commands);
        Assert.Single(_routes.Installed);
    }
}
