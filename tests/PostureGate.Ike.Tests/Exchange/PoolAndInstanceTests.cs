// Mode-cfg leases and dial-up instance names across SA lifetimes.
using System.Net;
using PostureGate.Ike.Config;

namespace PostureGate.Ike.Tests.Exchange;

public class PoolAndInstanceTests
{
    private static IkeInitiatorOptionsFactory Client(int port) => new(port);

    private sealed record IkeInitiatorOptionsFactory(int Port)
    {
        public PostureGate.Ike.Sa.IkeInitiatorOptions Options => ExchangeHarness.Alice(port: Port) with
        {
            Local = new IPEndPoint(ExchangeHarness.ClientAddress, Port),
            InitialContact = false,
            ForceEncapsulation = false,
        };
    }

    [Fact]
    public void InstancesAreNumberedAndReused()
    {
        using var h = new ExchangeHarness();
        var a = h.Connect(Client(1000).Options);
        var b = h.Connect(Client(1001).Options);
        Assert.True(a.Success && b.Success);
        Assert.Equal(["dialup_0", "dialup_1"], h.Gateway.Snapshot().Select(s => s.Name).Order());
        Assert.NotEqual(a.VirtualIp, b.VirtualIp);

        Assert.Equal(1, h.Gateway.Clear("dialup_0"));
        h.Network.Pump();
        Assert.Equal(["dialup_1"], h.Gateway.Snapshot().Select(s => s.Name));
        var c = h.Connect(Client(1002).Options);
        Assert.True(c.Success);
        Assert.Equal(["dialup_0", "dialup_1"], h.Gateway.Snapshot().Select(s => s.Name).Order());
        // The freed address is handed out again, never one that is still leased.
        Assert.Equal(a.VirtualIp, c.VirtualIp);
    }

    [Fact]
    public void PoolExhaustionKeepsTheIkeSaWithoutChild()
    {
        using var h = new ExchangeHarness(ExchangeHarness.GatewayConfig(c => c with { AddressPool = new AddressPool(Ipv4Range.Parse("192.0.2.200", "192.0.2.200")) }));
        Assert.True(h.Connect(Client(1000).Options).Success);
        var second = h.Connect(Client(1001).Options);
        Assert.True(second.Success, second.Error);
        Assert.Null(second.VirtualIp);
        Assert.Null(second.Child);
        Assert.Equal("INTERNAL_ADDRESS_FAILURE", second.ChildError);
        Assert.Single(h.GatewayInstaller.Installed);
        Assert.Equal(2, h.Gateway.Snapshot().Count(s => s.Status == "established"));
    }

    [Fact]
    public async Task LeaseReturnsOnDelete()
    {
        using var h = new ExchangeHarness();
        var pool = h.GatewayConfigUsed.AddressPool!;
        var first = h.Connect(Client(1000).Options);
        Assert.Equal(1, pool.LeasedCount);
        var deleted = h.Client.DeleteAsync(first.Instance!, "user");
        h.Network.Pump();
        Assert.True(await deleted);
        Assert.Equal(0, pool.LeasedCount);
        Assert.Empty(h.Gateway.Snapshot());
        Assert.Empty(h.GatewayInstaller.Installed);
        Assert.Empty(h.ClientInstaller.Installed);
    }
}
