// RFC 7296 §1.3.2 / §1.3.3 / §2.8 rekeying, started by either side, by timer or on demand.
using PostureGate.Ike.Config;
using PostureGate.Ike.Kernel;
using PostureGate.Kernel;
using PostureGate.Proposals;

namespace PostureGate.Ike.Tests.Exchange;

public class RekeyTests
{
    private static void AssertPaired(ExchangeHarness h)
    {
        var gw = Assert.Single(h.GatewayInstaller.Installed);
        var client = Assert.Single(h.ClientInstaller.Installed);
        Assert.Equal(gw.InboundSpi, client.OutboundSpi);
        Assert.Equal(gw.OutboundSpi, client.InboundSpi);
        Assert.Equal(gw.InboundKeys.Encryption, client.OutboundKeys.Encryption);
        Assert.Equal(gw.OutboundKeys.Integrity, client.InboundKeys.Integrity);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ChildSaRekeyFromEitherSide(bool byClient)
    {
        using var h = new ExchangeHarness();
        var result = h.Connect();
        var before = Assert.Single(h.GatewayInstaller.Installed);
        var beforeKey = before.InboundKeys.Encryption.ToArray();

        Assert.True(byClient ? h.Client.RekeyChildSas(result.Instance!) : h.Gateway.RekeyChildSas("dialup_0"));
        h.Network.Pump();

        AssertPaired(h);
        var after = Assert.Single(h.GatewayInstaller.Installed);
        Assert.NotEqual(before.InboundSpi, after.InboundSpi);
        Assert.NotEqual(beforeKey, after.InboundKeys.Encryption);
        Assert.Contains(h.GatewayInstaller.Journal, l => l.StartsWith($"remove dialup_0 in={before.InboundSpi:x8}", StringComparison.Ordinal));
        Assert.Equal("established", Assert.Single(h.Gateway.Snapshot()).Status);
        Assert.Equal(1, IkeSaCountersOf(h).ChildrenNow);
    }

    private static (int ChildrenNow, int Total) IkeSaCountersOf(ExchangeHarness h)
    {
        var s = Assert.Single(h.Gateway.Snapshot());
        return (s.IpsecSa.CreatedCurrent, s.IpsecSa.CreatedTotal);
    }

    [Fact]
    public void ChildSaRekeyWithPfs()
    {
        Func<IkePeerConfig, IkePeerConfig> pfs = c => c with
        {
            Children = [c.Children[0] with { PfsGroups = [KeyExchangeMethod.Curve25519] }],
        };
        using var h = new ExchangeHarness(ExchangeHarness.GatewayConfig(pfs));
        var result = h.Connect(ExchangeHarness.Alice(ExchangeHarness.ClientConfig(pfs)));
        var before = Assert.Single(h.ClientInstaller.Installed).InboundSpi;
        Assert.True(h.Client.RekeyChildSas(result.Instance!));
        h.Network.Pump();
        AssertPaired(h);
        Assert.NotEqual(before, Assert.Single(h.ClientInstaller.Installed).InboundSpi);
    }

    [Fact]
    public void ChildSaRekeysFromLifetimeTimer()
    {
        using var h = new ExchangeHarness(ExchangeHarness.GatewayConfig(c => c with
        {
            Children = [c.Children[0] with { Lifetime = TimeSpan.FromSeconds(1000) }],
        }));
        h.Connect();
        var first = Assert.Single(h.GatewayInstaller.Installed).InboundSpi;
        h.Elapse(TimeSpan.FromSeconds(901), stepSeconds: 10); // 90 % of keylifeseconds, no jitter in tests
        AssertPaired(h);
        Assert.NotEqual(first, Assert.Single(h.GatewayInstaller.Installed).InboundSpi);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void IkeSaRekeyFromEitherSide(bool byClient)
    {
        using var h = new ExchangeHarness();
        var result = h.Connect();
        var before = Assert.Single(h.Gateway.Snapshot());
        var child = Assert.Single(h.GatewayInstaller.Installed);

        Assert.True(byClient ? h.Client.RekeyIkeSa(result.Instance!) : h.Gateway.RekeyIkeSa("dialup_0"));
        h.Network.Pump();

        var after = Assert.Single(h.Gateway.Snapshot());
        Assert.Equal("dialup_0", after.Name);
        Assert.NotEqual(before.InitiatorSpi, after.InitiatorSpi);
        Assert.NotEqual(before.ResponderSpi, after.ResponderSpi);
        Assert.Equal(!byClient, after.IsInitiator); // §2.18: the rekey initiator is the new SA's initiator
        Assert.Equal(before.AssignedAddress, after.AssignedAddress);
        Assert.Equal(child, Assert.Single(h.GatewayInstaller.Installed)); // CHILD_SAs move over untouched
        Assert.Equal(1, h.GatewayConfigUsed.AddressPool!.LeasedCount);

        // The new SA works: a CHILD_SA rekey and a DPD run over it.
        Assert.True(h.Gateway.RekeyChildSas("dialup_0"));
        h.Network.Pump();
        AssertPaired(h);
        Assert.True(h.Gateway.SendDpd("dialup_0"));
        h.Network.Pump();
        Assert.Equal("established", Assert.Single(h.Gateway.Snapshot()).Status);
    }

    [Fact]
    public void IkeSaRekeysFromKeylife()
    {
        using var h = new ExchangeHarness(ExchangeHarness.GatewayConfig(c => c with { IkeLifetime = TimeSpan.FromSeconds(3600) }));
        h.Connect(ExchangeHarness.Alice(ExchangeHarness.ClientConfig(c => c with { IkeLifetime = TimeSpan.FromDays(1) })));
        var spi = Assert.Single(h.Gateway.Snapshot()).ResponderSpi;
        h.Elapse(TimeSpan.FromSeconds(3241), stepSeconds: 10);
        var now = Assert.Single(h.Gateway.Snapshot());
        Assert.NotEqual(spi, now.ResponderSpi);
        Assert.True(now.IsInitiator);
    }

    private static string IkeSa_State(ExchangeHarness h) => Assert.Single(h.Gateway.Snapshot()).Status;

    [Fact]
    public void SimultaneousChildRekeyLeavesExactlyOnePair()
    {
        using var h = new ExchangeHarness();
        var result = h.Connect();
        var old = Assert.Single(h.GatewayInstaller.Installed).InboundSpi;
        Assert.True(h.Client.RekeyChildSas(result.Instance!));
        Assert.True(h.Gateway.RekeyChildSas("dialup_0"));
        h.Network.Pump();
        AssertPaired(h);
        Assert.NotEqual(old, Assert.Single(h.GatewayInstaller.Installed).InboundSpi);
    }

    [Fact]
    public void SimultaneousIkeRekeyLeavesExactlyOneSa()
    {
        using var h = new ExchangeHarness();
        var result = h.Connect();
        var before = Assert.Single(h.Gateway.Snapshot());
        Assert.True(h.Client.RekeyIkeSa(result.Instance!));
        Assert.True(h.Gateway.RekeyIkeSa("dialup_0"));
        h.Network.Pump();
        var gw = Assert.Single(h.Gateway.Snapshot());
        // The original initiator yields (TEMPORARY_FAILURE); the client's rekey wins.
        Assert.NotEqual(before.ResponderSpi, gw.ResponderSpi);
        Assert.False(gw.IsInitiator);
        Assert.Equal("established", IkeSa_State(h));
        var client = Assert.Single(h.Client.Snapshot());
        Assert.Equal(gw.InitiatorSpi, client.InitiatorSpi);
        Assert.Equal(gw.ResponderSpi, client.ResponderSpi);
        AssertPaired(h);
    }
}
