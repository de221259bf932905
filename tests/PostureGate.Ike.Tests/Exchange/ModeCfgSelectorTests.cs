// With a mode-cfg pool the peer's inner source is its leased address, nothing else (issue 10 finding 3):
// IKE_AUTH without CP(CFG_REQUEST) for an address gets FAILED_CP_REQUIRED (RFC 7296 §3.10.1) instead of a
// CHILD_SA with the selectors it proposed, and later CREATE_CHILD_SAs are narrowed to the lease.
using PostureGate.Kernel;
using System.Net;
using PostureGate.Ike.Kernel;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Ike.Sa;
using PostureGate.Proposals;

namespace PostureGate.Ike.Tests.Exchange;

public class ModeCfgSelectorTests
{
    private static readonly IPAddress OtherUsersAddress = IPAddress.Parse("192.0.2.205");

    [Fact]
    public void IkeAuthWithoutCpRequest_GetsFailedCpRequiredAndNoChildSa()
    {
        using var h = new ExchangeHarness();
        var result = h.Connect(ExchangeHarness.Alice() with { RequestAddress = false, RequestDns = false });

        Assert.True(result.Success, result.Error); // §1.2: the IKE SA stays, only the CHILD_SA is refused
        Assert.Equal("FAILED_CP_REQUIRED", result.ChildError);
        Assert.Empty(h.GatewayInstaller.Installed);
        Assert.Equal(0, h.GatewayConfigUsed.AddressPool!.LeasedCount);
    }

    [Fact]
    public void CpRequestWithoutAnAddress_IsNotEnough()
    {
        using var h = new ExchangeHarness();
        var result = h.Connect(ExchangeHarness.Alice() with { RequestAddress = false, RequestDns = true });

        Assert.Equal("FAILED_CP_REQUIRED", result.ChildError);
        Assert.Empty(h.GatewayInstaller.Installed);
    }

    [Fact]
    public void CreateChildSaWithoutALease_GetsFailedCpRequired()
    {
        using var h = new ExchangeHarness();
        Assert.True(h.Connect(ExchangeHarness.Alice() with { RequestAddress = false, RequestDns = false }).Success);

        var answer = CreateChild(h, [TrafficSelector.Any()]);

        Assert.Equal(NotifyType.FailedCpRequired, Assert.IsType<NotifyPayload>(Assert.Single(answer.Payloads)).NotifyType);
        Assert.Empty(h.GatewayInstaller.Installed);
    }

    [Fact]
    public void CreateChildSaAskingForAnyOrAnotherUsersAddress_IsNarrowedToTheLease()
    {
        using var h = new ExchangeHarness();
        var auth = h.Connect();
        Assert.True(auth.Success, auth.Error);

        var any = CreateChild(h, [TrafficSelector.Any()]);
        var tsi = Assert.Single(any.Payloads.OfType<TsPayload>(), t => t.Type == PayloadType.TrafficSelectorInitiator);
        Assert.Equal([TrafficSelector.FromPrefix(auth.VirtualIp!, 32)], tsi.Selectors);
        Assert.All(h.GatewayInstaller.Installed, c => Assert.Equal([SelectorRange.Host(auth.VirtualIp!)], c.RemoteSelectors));

        var stolen = CreateChild(h, [TrafficSelector.FromPrefix(OtherUsersAddress, 32)]);
        Assert.Equal(NotifyType.TsUnacceptable, Assert.IsType<NotifyPayload>(Assert.Single(stolen.Payloads)).NotifyType);
    }

    [Fact]
    public void AClientAnsweringTheGatewaysRekeyCannotWidenItsSelectors()
    {
        using var h = new ExchangeHarness();
        var auth = h.Connect();
        Assert.True(auth.Success, auth.Error);
        var before = Assert.Single(h.GatewayInstaller.Installed);
        Assert.True(h.Gateway.RekeyChildSas("dialup_0"));

        // The client answers the gateway's CREATE_CHILD_SA (§1.3.3) with TSr = 0.0.0.0/0 for itself.
        var request = h.Network.Take();
        var clientSa = h.Client.AllSas.Single(s => s.State == IkeSaState.Established);
        Assert.Equal(DecodeResult.Complete, IkeWire.TryDecode(clientSa, request.Bytes, fromPeerAsInitiator: false, out var offer, out _, out _));
        var proposal = offer!.Find<SaPayload>()!.Proposals.Single();
        var tsi = offer.FindAll<TsPayload>().Single(t => t.Type == PayloadType.TrafficSelectorInitiator);
        var header = new IkeHeader(clientSa.SpiI, clientSa.SpiR, PayloadType.NoNextPayload, ExchangeType.CreateChildSa,
            IkeHeaderFlags.Initiator | IkeHeaderFlags.Response, offer.MessageId, 0);
        IkePayload[] answer =
        [
            new SaPayload([new Proposal(proposal.Number, ProtocolId.Esp, [0xc1, 0x2a, 0x00, 0x03], proposal.Transforms)]),
            new NoncePayload(new byte[32]),
            tsi,
            new TsPayload(PayloadType.TrafficSelectorResponder, [TrafficSelector.Any()]),
        ];
        h.Network.Inject(new Datagram(IkeWire.Encode(clientSa, header, answer).Single(), request.To, request.From));

        var rekeyed = Assert.Single(h.GatewayInstaller.Installed, c => c.InboundSpi != before.InboundSpi);
        Assert.Equal([SelectorRange.Host(auth.VirtualIp!)], rekeyed.RemoteSelectors);
    }

    /// <summary>A CREATE_CHILD_SA request for a new CHILD_SA (§1.3.1) from the client's SA; returns the decrypted answer.</summary>
    private static IkeMessage CreateChild(ExchangeHarness h, IReadOnlyList<TrafficSelector> tsi)
    {
        var clientSa = h.Client.AllSas.Single(s => s.State == IkeSaState.Established);
        var header = new IkeHeader(clientSa.SpiI, clientSa.SpiR, PayloadType.NoNextPayload, ExchangeType.CreateChildSa,
            IkeHeaderFlags.Initiator, clientSa.NextRequestId, 0);
        IkePayload[] payloads =
        [
            new SaPayload([new Proposal(1, ProtocolId.Esp, [0xc1, 0x2a, 0x00, 0x02],
                [Transform.Encryption(EncryptionAlgorithm.AesCbc, 128), Transform.Integrity(IntegrityAlgorithm.HmacSha2_256_128), Transform.Esn(EsnMode.NoEsn)])]),
            new NoncePayload(new byte[32]),
            new TsPayload(PayloadType.TrafficSelectorInitiator, tsi),
            new TsPayload(PayloadType.TrafficSelectorResponder, [TrafficSelector.FromPrefix(IPAddress.Parse("203.0.113.0"), 24)]),
        ];
        var to = new IPEndPoint(ExchangeHarness.GatewayAddress, clientSa.Remote.Port);
        h.Gateway.ProcessDatagram(IkeWire.Encode(clientSa, header, payloads).Single(), to, clientSa.Local);
        clientSa.NextRequestId++;
        var answer = h.Network.Take();
        Assert.Equal(DecodeResult.Complete, IkeWire.TryDecode(clientSa, answer.Bytes, fromPeerAsInitiator: false, out var message, out _, out var error));
        Assert.True(message is not null, error.Reason);
        return message;
    }
}
