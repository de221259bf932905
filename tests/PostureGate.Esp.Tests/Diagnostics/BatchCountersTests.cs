// EspBatchCounters and the batching instruments of EspMetrics: every device read that returned
// packets is one batch, in each direction, and the packets in those batches are all counted
// (the mean batch size is their ratio); nothing is counted for a direction that carried nothing.
using PostureGate.Esp.Tests.Support;

namespace PostureGate.Esp.Tests.Diagnostics;

public sealed class BatchCountersTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly BackToBackPlanes _planes = new(TestSuite.Get("aes256-sha256"));

    public void Dispose() => _planes.Dispose();

    private void SendThrough(int payload)
    {
        _planes.ClientTun.Inject(Ipv4Packets.Udp("10.139.1.2", "192.0.2.7", payload));
        Assert.True(_planes.GatewayTun.TryTake(out _, Wait), "the packet did not come out of the gateway's TUN");
    }

    [Fact]
    public void Batches_CountEveryPacketOnce_InBatchesOfAtLeastOne()
    {
        for (var i = 0; i < 3; i++)
            SendThrough(100 + i);

        // The client read three inner packets from its TUN; the gateway three datagrams from its socket.
        var client = _planes.Client.Batches;
        var gateway = _planes.Gateway.Batches;
        Assert.Equal(3UL, client.TxPackets);
        Assert.InRange(client.TxBatches, 1UL, 3UL);
        Assert.Equal(3UL, gateway.RxPackets);
        Assert.InRange(gateway.RxBatches, 1UL, 3UL);
        // Nothing went the other way.
        Assert.Equal(0UL, gateway.TxBatches);
        Assert.Equal(0UL, gateway.TxPackets);
    }

    [Fact]
    public void Meter_PublishesBatchesAndTheirPacketsPerTunnelGroupAndDirection()
    {
        SendThrough(200);
        using var metrics = new EspMetrics(() => [("dialup", _planes.Gateway)]);
        var seen = MeterCapture.Collect(EspMetrics.MeterName);

        long Value(string instrument, string direction) =>
            seen.Single(s => s.Instrument == instrument && (string?)s.Tags["direction"] == direction && (string?)s.Tags["tunnel_group"] == "dialup").Value;
        Assert.Equal(1, Value("pgate.esp.batches", "rx"));
        Assert.Equal(1, Value("pgate.esp.batch.packets", "rx"));
        Assert.Equal(0, Value("pgate.esp.batches", "tx"));
        Assert.Equal(new EspDataPlaneOptions().BatchSize, seen.Single(s => s.Instrument == "pgate.esp.batch.capacity").Value);
    }
}
