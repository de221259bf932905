// Where each dial-up phase1 listens: its interface, the operator's --listen, or `pgate up`'s loopback per phase1.
using System.Net;
using PostureGate.Config;
using PostureGate.Config.Model;
using PostureGate.Gateway.Net;
using PostureGate.Gateway.Tests.Composition;

namespace PostureGate.Gateway.Tests.Net;

public class ListenAddressesTests
{
    private static GatewayConfig Load()
    {
        var r = ConfigLoader.Load(IkeSettingsBuilderTests.Example());
        Assert.True(r.Success, string.Join('\n', r.Diagnostics));
        return r.Config!;
    }

    private static readonly IPAddress Loopback = IPAddress.Parse("127.0.0.1");

    [Fact]
    public void LoopbackPerPhase1GivesEachDialupPhase1TheNextAddress()
    {
        var config = Load();
        var dialups = config.Phase1Interfaces.Where(p => p.Type == Phase1Type.Dynamic).ToList();
        Assert.True(dialups.Count >= 2);

        var addresses = dialups.Select(p => ListenAddresses.Of(config.Phase1Interfaces, p, Loopback, loopbackPerPhase1: true)).ToList();

        Assert.Equal(Enumerable.Range(1, dialups.Count).Select(i => IPAddress.Parse($"127.0.0.{i}")), addresses);
    }

    [Fact]
    public void OverrideWithoutLoopbackPerPhase1IsSharedByAll()
    {
        var config = Load();
        var listen = IPAddress.Parse("192.0.2.10");

        Assert.All(config.Phase1Interfaces.Where(p => p.Type == Phase1Type.Dynamic),
            p => Assert.Equal(listen, ListenAddresses.Of(config.Phase1Interfaces, p, listen, loopbackPerPhase1: true)));
        Assert.All(config.Phase1Interfaces.Where(p => p.Type == Phase1Type.Dynamic),
            p => Assert.Equal(Loopback, ListenAddresses.Of(config.Phase1Interfaces, p, Loopback, loopbackPerPhase1: false)));
    }

    [Fact]
    public void WithoutOverrideEachPhase1ListensOnItsInterface()
    {
        var config = Load();
        foreach (var p1 in config.Phase1Interfaces.Where(p => p.Type == Phase1Type.Dynamic))
        {
            var expected = p1.Interface.HasAddress ? p1.Interface.Ip.Address : IPAddress.Any;
            Assert.Equal(expected, ListenAddresses.Of(config.Phase1Interfaces, p1, null, loopbackPerPhase1: true));
        }
    }
}
