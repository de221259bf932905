// INFORMATIONAL beyond Delete and DPD: status notifies on demand (FortiClient token updates
// later) and NAT rebinding (RFC 7296 §2.23: follow the peer's new address and port).
using System.Net;
using PostureGate.Ike.Sa;

namespace PostureGate.Ike.Tests.Exchange;

public class InformationalTests
{
    [Fact]
    public async Task ClientSendsPrivateNotifiesOnDemand()
    {
        using var h = new ExchangeHarness();
        var result = h.Connect();
        var received = new List<(string Instance, IReadOnlyList<ReceivedNotify> Notifies)>();
        h.Gateway.InformationalNotifies += (i, n) => received.Add((i, n));
        var sent = h.Client.SendInformationalAsync(result.Instance!, [new NotifyToSend(40970, "token"u8.ToArray())]);
        h.Network.Pump();
        Assert.True(await sent);
        var (instance, notifies) = Assert.Single(received);
        Assert.Equal("dialup_0", instance);
        Assert.Contains(notifies, n => n.Type == 40970 && n.Data.AsSpan().SequenceEqual("token"u8));
    }

    [Fact]
    public void NatRebindingMovesTheSaAndTheChild()
    {
        using var h = new ExchangeHarness();
        var result = h.Connect();
        Assert.True(h.Client.SendDpd(result.Instance!));
        var probe = h.Network.Take();
        var rebound = new IPEndPoint(probe.From.Address, 55846);
        h.Network.Inject(probe with { From = rebound });
        Assert.Equal(rebound, h.Network.Peek()!.To); // the answer goes to the new port
        Assert.Equal(rebound, Assert.Single(h.Gateway.Snapshot()).RemoteEndpoint);
        Assert.Equal(rebound, Assert.Single(h.GatewayInstaller.Installed).PeerEndpoint);
        Assert.Contains(h.GatewayInstaller.Journal, l => l.StartsWith("update dialup_0", StringComparison.Ordinal));
    }
}
