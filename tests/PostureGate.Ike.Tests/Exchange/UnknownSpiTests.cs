// RFC 7296 §2.21.4: a message for an unknown IKE SA MAY be answered with INVALID_IKE_SPI; PostureGate
// answers none, so a spray of unknown SPIs (or a scan) is amplified by nothing: each is counted and
// dropped, logged at debug level only.
using Microsoft.Extensions.Logging;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Ike.Tests.Exchange;

public class UnknownSpiTests
{
    [Fact]
    public void RequestsForUnknownSpis_GetNoAnswer_AndAreCounted()
    {
        using var h = new ExchangeHarness();
        Assert.True(h.Connect().Success); // a live SA: its SPIs are not among the random ones
        var sent = h.Network.Sent.Count;
        var dropped = h.Gateway.DroppedDatagrams;
        var random = new Random(2214);
        var gateway = new System.Net.IPEndPoint(ExchangeHarness.GatewayAddress, 500);
        var sources = Enumerable.Range(1, 50).Select(i => new System.Net.IPEndPoint(System.Net.IPAddress.Parse($"203.0.113.{i}"), 500)).ToList();

        for (var i = 0; i < 1000; i++)
        {
            var exchange = (ExchangeType)(35 + i % 3); // IKE_AUTH, CREATE_CHILD_SA, INFORMATIONAL
            var request = new IkeMessage(new IkeHeader((ulong)random.NextInt64(1, long.MaxValue), (ulong)random.NextInt64(1, long.MaxValue),
                PayloadType.NoNextPayload, exchange, IkeHeaderFlags.Initiator, (uint)i, 0), [new NotifyPayload(NotifyType.InitialContact)]).Encode();
            h.Gateway.ProcessDatagram(request, gateway, sources[i % sources.Count]);
        }

        Assert.Equal(sent, h.Network.Sent.Count);
        Assert.Equal(dropped + 1000, h.Gateway.DroppedDatagrams);
        Assert.DoesNotContain(h.GatewayLog.AtLeast(LogLevel.Information), e => e.Message.Contains("SPI", StringComparison.Ordinal));
        Assert.Single(h.Gateway.Snapshot());
    }
}
