// Where the admin console listens: admin-sport on each interface with allowaccess https (its
// configured address, else the host interface's), loopback when none allows https, nowhere without admin-sport.
using System.Net;
using PostureGate.Config;
using PostureGate.Config.Host;
using PostureGate.Gateway.Admin;

namespace PostureGate.Gateway.Tests.Admin;

public sealed class AdminEndpointsTests
{
    private sealed class FakeHost(params HostInterface[] interfaces) : IHostInterfaceSource
    {
        public IReadOnlyList<HostInterface> GetInterfaces() => interfaces;
    }

    private static readonly FakeHost Host = new(
        new HostInterface("eth0", [IPAddress.Parse("203.0.113.7"), IPAddress.Parse("2001:db8::7")]),
        new HostInterface("eth1", [IPAddress.Parse("198.51.100.1")]));

    private static Config.Model.GatewayConfig Load(string text)
    {
        var r = ConfigLoader.Parse(text, "admin.conf");
        Assert.True(r.Config is not null, string.Join('\n', r.Diagnostics));
        return r.Config!;
    }

    private const string Interfaces = """
        config system interface
            edit "port1"
                set ip 192.0.2.4 255.255.255.0
                set allowaccess https
            next
            edit "eth0"
                set allowaccess https
            next
            edit "eth1"
            next
        end
        """;

    [Fact]
    public void WithoutAdminSportNothingListensEvenWhereHttpsIsAllowed() =>
        Assert.Empty(AdminEndpoints.Of(Load(Interfaces), Host));

    [Fact]
    public void EachInterfaceAllowingHttpsGetsItsConfiguredOrItsHostAddress()
    {
        var endpoints = AdminEndpoints.Of(Load("config system global\n    set admin-sport 8443\nend\n" + Interfaces), Host);
        // port1's configured address; eth0's IPv4 address from the host; eth1 does not allow https.
        Assert.Equal(["192.0.2.4:8443", "203.0.113.7:8443"], endpoints.Select(e => e.ToString()));
    }

    [Fact]
    public void WhenNoInterfaceAllowsHttpsOnlyLoopbackListens()
    {
        var endpoints = AdminEndpoints.Of(Load("config system global\n    set admin-sport 10443\nend\n"), Host);
        Assert.Equal(["127.0.0.1:10443"], endpoints.Select(e => e.ToString()));
    }

    [Fact]
    public void ThePortOverrideReplacesAdminSportButDoesNotTurnTheConsoleOn()
    {
        Assert.Equal(["127.0.0.1:0"], AdminEndpoints.Of(Load("config system global\n    set admin-sport 10443\nend\n"), Host, portOverride: 0).Select(e => e.ToString()));
        Assert.Empty(AdminEndpoints.Of(Load("config system dns\n    set primary 192.0.2.53\nend\n"), Host, portOverride: 0));
    }
}
