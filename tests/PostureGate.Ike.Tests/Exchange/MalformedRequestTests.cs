// Requests that lack what their exchange requires (issue 12): each is dropped or answered with one
// Notify, logs no error, and leaves no state behind.
using System.Net;
using Microsoft.Extensions.Logging;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Ike.Sa;
using PostureGate.Ike.Tests.Messages;

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

    /// <summary>
    /// Runs IKE_SA_INIT, then replaces the client's first IKE_AUTH request by <paramref name="payloads"/>
    /// (encrypted with the client's keys, so only a peer that did the Diffie-Hellman could send it).
    /// </summary>
    private static IkeInitiateResult ForgeFirstAuth(ExchangeHarness h, IReadOnlyList<IkePayload> payloads)
    {
        var task = h.Client.InitiateAsync(ExchangeHarness.Alice());
        h.Network.Deliver(); // IKE_SA_INIT -->
        h.Network.Deliver(); // <-- IKE_SA_INIT
        var real = h.Network.Take();
        var clientSa = h.Client.AllSas.Single();
        var header = new IkeHeader(clientSa.SpiI, clientSa.SpiR, PayloadType.NoNextPayload, ExchangeType.IkeAuth, IkeHeaderFlags.Initiator, 1, 0);
        h.Network.Inject(real with { Bytes = IkeWire.Encode(clientSa, header, payloads).Single() });
        h.Network.Pump();
        Assert.True(task.IsCompleted, "the gateway did not answer the forged IKE_AUTH request");
        return task.Result;
    }

    private static void AssertRefusedWithoutTrace(ExchangeHarness h, IkeInitiateResult result, string notify, string reason)
    {
        Assert.False(result.Success);
        Assert.Equal(notify, result.Error);
        Assert.Empty(h.GatewayLog.AtLeast(LogLevel.Error));
        var warning = Assert.Single(h.GatewayLog.AtLeast(LogLevel.Warning));
        Assert.Contains(reason, warning.Message);
        Assert.Null(warning.Exception);
        // §2.21.2: the IKE SA is not created — nothing leased, named or installed.
        Assert.Empty(h.Gateway.Snapshot());
        Assert.Equal(0, h.Gateway.HalfOpenCount);
        Assert.Equal(0, h.GatewayConfigUsed.AddressPool!.LeasedCount);
        Assert.Empty(h.GatewayInstaller.Installed);
    }

    [Fact]
    public void IkeAuthRequestWithoutIdi_IsInvalidSyntaxInTheEncryptedResponse()
    {
        using var h = new ExchangeHarness();
        var payloads = StrongSwanMessages.IkeAuthRequestPayloads().Where(p => p.Type != PayloadType.IdInitiator).ToList();

        var result = ForgeFirstAuth(h, payloads);

        AssertRefusedWithoutTrace(h, result, "INVALID_SYNTAX", "IDi missing");
        Assert.DoesNotContain(h.GatewayDebug.Lines, l => l.Contains("responder received AUTH msg", StringComparison.Ordinal));
    }

    [Fact]
    public void IkeAuthRequestWithSaButNoTrafficSelectors_IsInvalidSyntax()
    {
        using var h = new ExchangeHarness();
        var payloads = StrongSwanMessages.IkeAuthRequestPayloads().Where(p => p is not TsPayload).ToList();

        var result = ForgeFirstAuth(h, payloads);

        AssertRefusedWithoutTrace(h, result, "INVALID_SYNTAX", "SA, TSi and TSr");
    }

    [Fact]
    public void InformationalNotifiesBeforeAuthentication_DoNotReachTheGateway()
    {
        using var h = new ExchangeHarness();
        var seen = new List<string>();
        h.Gateway.InformationalNotifies += (instance, _) => seen.Add(instance);
        h.Client.InitiateAsync(ExchangeHarness.Alice());
        h.Network.Deliver(); // IKE_SA_INIT -->
        h.Network.Deliver(); // <-- IKE_SA_INIT
        var real = h.Network.Take();
        var clientSa = h.Client.AllSas.Single();
        // A private-use status notify (a token update) sent by a peer that has not authenticated.
        var header = new IkeHeader(clientSa.SpiI, clientSa.SpiR, PayloadType.NoNextPayload, ExchangeType.Informational, IkeHeaderFlags.Initiator, 1, 0);
        h.Network.Inject(real with { Bytes = IkeWire.Encode(clientSa, header, [new NotifyPayload((NotifyType)62001, [1, 2, 3])]).Single() });

        Assert.Empty(seen);
        Assert.Empty(h.GatewayLog.AtLeast(LogLevel.Warning));
    }
}
