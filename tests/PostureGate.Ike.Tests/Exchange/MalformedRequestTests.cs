// Requests that lack what their exchange requires (issue 12): each is dropped or answered with one
// Notify, logs no error, and leaves no state behind.
using System.Net;
using Microsoft.Extensions.Logging;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Ike.Tests.Exchange;

public class MalformedRequestTests
{
    private static readonly IPEndPoint GatewayEndpoint = new(ExchangeHarness.GatewayAddress, 500);
    private static readonly IPEndPoint AttackerEndpoint = new(ExchangeHarness.ClientAddress, 500);

    [Fact]
    public void IkeSaInitRequestWithOnlyAnErrorNotify_IsDroppedWithoutAnErrorLog()
    {
        using var h = new ExchangeHarness();
        // §1.2 requires SA, KE and Ni; an error notify in a request does not excuse their absence.
        var request = new IkeMessage(new IkeHeader(0x1122334455667788, 0, PayloadType.NoNextPayload, ExchangeType.IkeSaInit,
            IkeHeaderFlags.Initiator, 0, 0), [new NotifyPayload(NotifyType.NoProposalChosen)]).Encode();

        h.Gateway.ProcessDatagram(request, GatewayEndpoint, AttackerEndpoint);

        Assert.Empty(h.GatewayLog.AtLeast(LogLevel.Warning));
        Assert.Equal(1, h.Gateway.DroppedDatagrams);
        Assert.Empty(h.Network.Sent);
        Assert.Equal(0, h.Gateway.HalfOpenCount);
        Assert.Empty(h.Gateway.Snapshot());
    }
}
