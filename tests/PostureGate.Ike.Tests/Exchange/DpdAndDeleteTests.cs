// RFC 7296 §2.4 liveness (FortiOS dpd on-idle / on-demand), §1.4.1 Delete, INITIAL_CONTACT.
using System.Net;
using PostureGate.Ike.Config;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Sa;
using PostureGate.Liveness;

namespace PostureGate.Ike.Tests.Exchange;

public class DpdAndDeleteTests
{
    [Fact]
    public void IdlePeerIsProbedAndAnswers()
    {
        using var h = new ExchangeHarness();
        h.Connect();
        var sent = h.Network.Sent.Count;
        h.Elapse(TimeSpan.FromSeconds(21));
        // <-- INFORMATIONAL { } and --> INFORMATIONAL { }: at least one probe pair, SA kept.
        Assert.True(h.Network.Sent.Count >= sent + 2);
        Assert.Equal("established", Assert.Single(h.Gateway.Snapshot()).Status);
        Assert.Single(h.GatewayInstaller.Installed);
    }

    [Fact]
    public void DeadPeerIsDeletedAfterRetries()
    {
        using var h = new ExchangeHarness();
        h.Connect();
        var deleted = new List<IkeSaDeletedEvent>();
        h.Gateway.IkeSaDeleted += deleted.Add;
        h.Network.Drop = d => d.To.Address.Equals(ExchangeHarness.ClientAddress); // the client went away
        // Probe at 20 s, retries at 40/60/80 s, dead one interval after the last one.
        h.Elapse(TimeSpan.FromSeconds(20 + 3 * 20 + 20 + 1));
        Assert.Empty(h.Gateway.Snapshot());
        Assert.Empty(h.GatewayInstaller.Installed);
        Assert.Equal(0, h.GatewayConfigUsed.AddressPool!.LeasedCount);
        Assert.Equal("dpd timeout", Assert.Single(deleted).Reason);
        // 1 probe + dpd-retrycount (3) retransmissions.
        Assert.Equal(4, h.Network.Sent.Count(d => d.To.Address.Equals(ExchangeHarness.ClientAddress) && d.Exchange == ExchangeType.Informational));
    }

    [Fact]
    public void OnDemandProbesOnlyAfterUnansweredTraffic()
    {
        using var h = new ExchangeHarness(ExchangeHarness.GatewayConfig(c => c with { DpdMode = DpdMode.OnDemand }));
        h.Connect();
        var informational = () => h.Network.Sent.Count(d => d.From.Address.Equals(ExchangeHarness.GatewayAddress) && d.Exchange == ExchangeType.Informational);
        h.Elapse(TimeSpan.FromSeconds(60));
        Assert.Equal(0, informational()); // idle both ways: nothing to check
        var spi = Assert.Single(h.GatewayInstaller.Installed).InboundSpi;
        h.GatewayInstaller.Events!.TrafficSeen(spi, inbound: false, outbound: true);
        h.Elapse(TimeSpan.FromSeconds(21));
        Assert.True(informational() >= 1);
        Assert.Equal("established", Assert.Single(h.Gateway.Snapshot()).Status);
    }

    /// <summary>An idle on-demand SA holds no DPD timer (100,000 idle tunnels cost no timer callbacks, issue 16);
    /// outbound traffic arms one, and once the traffic is answered it goes again.</summary>
    [Fact]
    public void OnDemand_AnIdleSa_HasNoDpdTimer_UntilItSendsTraffic()
    {
        using var h = new ExchangeHarness(ExchangeHarness.GatewayConfig(c => c with { DpdMode = DpdMode.OnDemand }));
        h.Connect();
        var sa = Assert.Single(h.Gateway.AllSas);
        Assert.Null(sa.DpdTimer);

        var spi = Assert.Single(h.GatewayInstaller.Installed).InboundSpi;
        h.GatewayInstaller.Events!.TrafficSeen(spi, inbound: false, outbound: true);
        Assert.NotNull(sa.DpdTimer);

        h.Elapse(TimeSpan.FromSeconds(1));
        h.GatewayInstaller.Events!.TrafficSeen(spi, inbound: true, outbound: false); // the answer came back
        h.Elapse(TimeSpan.FromSeconds(20));
        Assert.Null(sa.DpdTimer);
        Assert.Equal("established", Assert.Single(h.Gateway.Snapshot()).Status);
    }

    /// <summary>on-idle keeps probing a silent peer once per dpd-retryinterval, with one timer re-armed each time.</summary>
    [Fact]
    public void OnIdle_ASilentPeer_IsProbedOncePerInterval()
    {
        using var h = new ExchangeHarness();
        h.Connect();
        var probes = () => h.Network.Sent.Count(d => d.From.Address.Equals(ExchangeHarness.GatewayAddress) && d.Exchange == ExchangeType.Informational);
        h.Elapse(TimeSpan.FromSeconds(20 * 5 + 1));
        // Each probe is answered, so the peer is silent again only an interval after it: at 20, 40, 60, 80, 100 s.
        Assert.Equal(5, probes());
        Assert.NotNull(Assert.Single(h.Gateway.AllSas).DpdTimer);
    }

    /// <summary>The initiator's side of on-demand DPD (pgate client's default): traffic it sent with nothing back
    /// makes it probe, and a gateway that never answers (killed, restarted without the SA) is found dead.</summary>
    [Fact]
    public void Initiator_OnDemand_FindsAGatewayThatStoppedAnswering_Dead()
    {
        using var h = new ExchangeHarness();
        var result = h.Connect(ExchangeHarness.Alice(ExchangeHarness.ClientConfig(c => c with { DpdMode = DpdMode.OnDemand })));
        var deleted = new List<IkeSaDeletedEvent>();
        h.Client.IkeSaDeleted += deleted.Add;
        h.Network.Drop = d => d.To.Address.Equals(ExchangeHarness.GatewayAddress); // the gateway went away
        var spi = Assert.Single(h.ClientInstaller.Installed).InboundSpi;
        for (var i = 0; i < 130; i++)
        {
            h.ClientInstaller.Events!.TrafficSeen(spi, inbound: false, outbound: true);
            h.Elapse(TimeSpan.FromSeconds(1));
        }
        Assert.Equal("dpd timeout", Assert.Single(deleted).Reason);
        Assert.Empty(h.Client.Snapshot());
        Assert.Equal(result.Instance, deleted[0].Instance);
    }

    [Fact]
    public async Task ClientDeletesIkeSa()
    {
        using var h = new ExchangeHarness();
        var result = h.Connect();
        var done = h.Client.DeleteAsync(result.Instance!, "swanctl --terminate");
        h.Network.Pump();
        Assert.True(await done);
        Assert.Empty(h.Gateway.Snapshot());
        Assert.Empty(h.Client.Snapshot());
        Assert.Empty(h.GatewayInstaller.Installed);
        Assert.Empty(h.ClientInstaller.Installed);
    }

    [Fact]
    public async Task GatewayDeletesIkeSa()
    {
        using var h = new ExchangeHarness();
        h.Connect();
        var done = h.Gateway.DeleteAsync("dialup_0", "posture lost");
        h.Network.Pump();
        Assert.True(await done);
        Assert.Empty(h.Gateway.Snapshot());
        Assert.Empty(h.Client.Snapshot());
        Assert.Empty(h.ClientInstaller.Installed);
    }

    [Fact]
    public void ChildSaDeleteIsAnsweredWithThePairedSpi()
    {
        using var h = new ExchangeHarness();
        h.Connect();
        var gw = Assert.Single(h.GatewayInstaller.Installed);
        // The data plane reports the hard limit: the gateway deletes the CHILD_SA, the client answers with its SPI.
        h.GatewayInstaller.Events!.Expired(gw.InboundSpi);
        Assert.Empty(h.GatewayInstaller.Installed); // gone from the data plane at once
        h.Network.Pump();
        Assert.Empty(h.ClientInstaller.Installed);
        Assert.Equal("established", Assert.Single(h.Gateway.Snapshot()).Status);
        Assert.Equal("established", Assert.Single(h.Client.Snapshot()).Status);
        var answer = h.Network.Sent.Last();
        Assert.True(IkeHeader.TryRead(answer.Bytes, out var header));
        Assert.True(header.IsResponse);
        Assert.Equal(ExchangeType.Informational, header.Exchange);
    }

    [Fact]
    public void InitialContactReplacesTheOldSa()
    {
        using var h = new ExchangeHarness();
        var first = h.Connect(ExchangeHarness.Alice() with { InitialContact = false });
        var second = h.Connect(ExchangeHarness.Alice(port: 600) with { Local = new IPEndPoint(ExchangeHarness.ClientAddress, 600) });
        Assert.True(first.Success && second.Success);
        var snap = Assert.Single(h.Gateway.Snapshot());
        Assert.Equal(second.SpiI, snap.InitiatorSpi);
        Assert.Single(h.GatewayInstaller.Installed);
        Assert.Contains(h.GatewayDebug.Lines, l => l.Contains("INITIAL_CONTACT from the same peer", StringComparison.Ordinal));
    }
}
