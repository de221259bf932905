// One regression test per class of the IKEv2 advisories of strongSwan and libreswan since 2018 that
// applies to PostureGate (issue 12 "The CVE classes of peers"): each sends the kind of input the
// advisory was about and shows PostureGate's answer — dropped or refused with the right Notify, no
// state created or changed, nothing logged above warning, never a stack trace. Classes that do not
// apply (IKEv1, certificate fetching, RSA signature parsing, TLS-based EAP) are listed in
// docs/security.md.
using System.Net;
using Microsoft.Extensions.Logging;
using PostureGate.Ike.Eap;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Ike.Sa;
using PostureGate.Ike.Tests.Eap;
using PostureGate.Ike.Tests.Messages;
using PostureGate.Proposals;

namespace PostureGate.Ike.Tests.Exchange;

public class PeerAdvisoryClassTests
{
    private static readonly IPEndPoint GatewayEndpoint = new(ExchangeHarness.GatewayAddress, 500);
    private static readonly IPEndPoint PeerEndpoint = new(ExchangeHarness.ClientAddress, 500);

    /// <summary>strongSwan's IKE_SA_INIT request with one payload replaced.</summary>
    private static byte[] InitRequestWith(Func<IkePayload, IkePayload> replace)
    {
        var request = StrongSwanMessages.IkeSaInitRequest();
        var payloads = request.Payloads.Select(replace).ToList();
        return new IkeMessage(request.Header, payloads).Encode();
    }

    private static void AssertNothingAboveDebug(ExchangeHarness h) => Assert.Empty(h.GatewayLog.AtLeast(LogLevel.Warning));

    private static NotifyType? StatelessAnswer(ExchangeHarness h)
    {
        var answer = h.Network.Sent.LastOrDefault(d => d.From.Address.Equals(ExchangeHarness.GatewayAddress));
        if (answer is null)
            return null;
        Assert.True(IkeMessage.TryParse(answer.Bytes, out var message, out _));
        return Assert.IsType<NotifyPayload>(Assert.Single(message!.Payloads)).NotifyType;
    }

    [Theory]
    [InlineData("Short", 255)]
    [InlineData("OneOctet", 1)]
    [InlineData("Oversized", 4096)]
    public void StrongSwan_CVE_2023_41913_KeWithTheWrongLengthForItsGroup_IsInvalidSyntax_WithoutState(string name, int length)
    {
        // charon-tkm copied a KE public value of any length into a fixed buffer.
        Assert.NotEmpty(name);
        using var h = new ExchangeHarness();
        var request = InitRequestWith(p => p is KePayload ke ? new KePayload(ke.Group, new byte[length]) : p);

        h.Gateway.ProcessDatagram(request, GatewayEndpoint, PeerEndpoint);

        Assert.Equal(NotifyType.InvalidSyntax, StatelessAnswer(h));
        Assert.Equal(0, h.Gateway.HalfOpenCount);
        AssertNothingAboveDebug(h);
    }

    [Fact]
    public void StrongSwan_CVE_2018_10811_IkeProposalWithoutPrf_IsNoProposalChosen_WithoutState()
    {
        // strongSwan dereferenced the missing PRF of a proposal it had accepted during key derivation.
        using var h = new ExchangeHarness();
        var request = InitRequestWith(p => p is SaPayload
            ? new SaPayload([new Proposal(1, ProtocolId.Ike, [],
                [Transform.Encryption(EncryptionAlgorithm.AesCbc, 128), Transform.Integrity(IntegrityAlgorithm.HmacSha2_256_128),
                 Transform.KeyExchange(KeyExchangeMethod.Modp2048)])])
            : p);

        h.Gateway.ProcessDatagram(request, GatewayEndpoint, PeerEndpoint);

        Assert.Equal(NotifyType.NoProposalChosen, StatelessAnswer(h));
        Assert.Equal(0, h.Gateway.HalfOpenCount);
        AssertNothingAboveDebug(h);
    }

    [Theory]
    [InlineData("ZeroLengthNonce", 0)]
    [InlineData("OversizedNonce", 257)]
    public void ZeroLengthAndOversizedPayloads_AreDroppedBeforeAnyState(string name, int nonceLength)
    {
        Assert.NotEmpty(name);
        using var h = new ExchangeHarness();
        var request = InitRequestWith(p => p is NoncePayload ? new NoncePayload(new byte[nonceLength]) : p);

        h.Gateway.ProcessDatagram(request, GatewayEndpoint, PeerEndpoint);

        Assert.Empty(h.Network.Sent);
        Assert.Equal(1, h.Gateway.DroppedDatagrams);
        Assert.Equal(0, h.Gateway.HalfOpenCount);
        AssertNothingAboveDebug(h);
    }

    [Fact]
    public void APayloadLengthBeyondTheMessage_IsDropped()
    {
        using var h = new ExchangeHarness();
        var request = StrongSwanMessages.IkeSaInitRequest().Encode();
        // The SA payload's length (octets 30-31) claims more than the datagram holds.
        request[30] = 0xff;
        request[31] = 0xff;

        h.Gateway.ProcessDatagram(request, GatewayEndpoint, PeerEndpoint);

        Assert.Empty(h.Network.Sent);
        Assert.Equal(1, h.Gateway.DroppedDatagrams);
        AssertNothingAboveDebug(h);
    }

    [Fact]
    public void Libreswan_CVE_2023_23009_TsPayloadWithAnInvertedRange_IsDropped_WithoutState()
    {
        // pluto crashed on an IKE_AUTH whose TS payload held a selector it could not represent. Here
        // the selector fails its §3.13.1 check while decoding; before authentication that is a drop.
        using var h = new ExchangeHarness();
        var inverted = TrafficSelector.Create(IPAddress.Parse("203.0.113.255"), IPAddress.Parse("203.0.113.0"));
        var payloads = StrongSwanMessages.IkeAuthRequestPayloads()
            .Select(p => p is TsPayload { Type: PayloadType.TrafficSelectorResponder } ? new TsPayload(PayloadType.TrafficSelectorResponder, [inverted]) : p)
            .ToList();
        _ = h.Client.InitiateAsync(ExchangeHarness.Alice());
        h.Network.Deliver(); // IKE_SA_INIT -->
        h.Network.Deliver(); // <-- IKE_SA_INIT
        var real = h.Network.Take();
        var sa = h.Client.AllSas.Single();
        var header = new IkeHeader(sa.SpiI, sa.SpiR, PayloadType.NoNextPayload, ExchangeType.IkeAuth, IkeHeaderFlags.Initiator, 1, 0);
        var dropped = h.Gateway.DroppedDatagrams;

        h.Network.Inject(real with { Bytes = IkeWire.Encode(sa, header, payloads).Single() });

        Assert.Equal(0, h.Network.Pending);
        Assert.Equal(dropped + 1, h.Gateway.DroppedDatagrams);
        AssertNothingAboveDebug(h);
        Assert.Equal(1, h.Gateway.HalfOpenCount); // until its half-open timeout
        Assert.Equal(0, h.GatewayConfigUsed.AddressPool!.LeasedCount);
        Assert.Empty(h.GatewayInstaller.Installed);
    }

    /// <summary>Connects, then sends <paramref name="payloads"/> as the client's next request; returns the gateway's answer, decrypted.</summary>
    private static IkeMessage? OnEstablishedSa(ExchangeHarness h, ExchangeType exchange, IReadOnlyList<IkePayload> payloads, Func<byte[], byte[]>? tamper = null)
    {
        Assert.True(h.Connect().Success);
        var sa = h.Client.AllSas.Single();
        var header = new IkeHeader(sa.SpiI, sa.SpiR, PayloadType.NoNextPayload, exchange, IkeHeaderFlags.Initiator, sa.NextRequestId, 0);
        var bytes = IkeWire.Encode(sa, header, payloads).Single();
        var sent = h.Network.Sent.Count;
        h.Gateway.ProcessDatagram(tamper is null ? bytes : tamper(bytes), GatewayEndpoint, sa.Remote.Port == 4500 ? new IPEndPoint(ExchangeHarness.ClientAddress, 4500) : PeerEndpoint);
        var answer = h.Network.Sent.Skip(sent).SingleOrDefault(d => d.From.Address.Equals(ExchangeHarness.GatewayAddress));
        if (answer is null)
            return null;
        Assert.True(IkeMessage.TryParse(answer.Bytes, out var message, out _));
        Assert.True(message!.TryDecrypt(sa.Keys!.FromResponder, out var decrypted, out _));
        return decrypted;
    }

    [Fact]
    public void Libreswan_CVE_2023_38710_RekeySaForAnUnknownSpi_IsChildSaNotFound_AndChangesNothing()
    {
        // pluto crashed on a REKEY_SA notify naming an IPsec SA it did not have.
        using var h = new ExchangeHarness();
        var payloads = new IkePayload[]
        {
            NotifyPayload.ForEspSpi(NotifyType.RekeySa, 0xdeadbeef),
            new SaPayload([Proposal.ForEsp(1, StrongSwanMessages.AesCbc128Sha256 with { Prf = PrfAlgorithm.None }, 0x0a0b0c0d)]),
            new NoncePayload(new byte[32]),
            new TsPayload(PayloadType.TrafficSelectorInitiator, [TrafficSelector.Any()]),
            new TsPayload(PayloadType.TrafficSelectorResponder, [TrafficSelector.FromPrefix(IPAddress.Parse("203.0.113.0"), 24)]),
        };

        var answer = OnEstablishedSa(h, ExchangeType.CreateChildSa, payloads);
        var installedBefore = h.GatewayInstaller.Installed.Count;

        Assert.NotNull(answer);
        Assert.Equal(NotifyType.ChildSaNotFound, answer!.FindErrorNotify()?.NotifyType);
        Assert.Equal(installedBefore, h.GatewayInstaller.Installed.Count);
        Assert.Single(h.Gateway.Snapshot());
        Assert.Empty(h.GatewayLog.AtLeast(LogLevel.Error));
    }

    [Fact]
    public void Libreswan_CVE_2019_10155_InformationalWithABadIcv_IsDroppedSilently()
    {
        // pluto acted on an INFORMATIONAL exchange without checking its integrity.
        using var h = new ExchangeHarness();
        var answer = OnEstablishedSa(h, ExchangeType.Informational, [DeletePayload.ForIkeSa()], bytes =>
        {
            bytes[^1] ^= 0x01; // the ICV's last octet
            return bytes;
        });

        Assert.Null(answer);
        Assert.Single(h.Gateway.Snapshot()); // not deleted
        AssertNothingAboveDebug(h);
    }

    [Theory]
    [InlineData("NoMessage", "0103000A1A04" + "03" + "0005")]
    [InlineData("MsLengthBelowHeader", "0103000E1A04" + "03" + "0002" + "453D36")]
    [InlineData("EapLengthBelowOpCode", "010300051A")]
    public void StrongSwan_CVE_2025_62291_MsChapV2FailureWithAShortLength_EndsTheSessionCleanly(string name, string hex)
    {
        // strongSwan's eap-mschapv2 computed a failure message's length by subtracting its header from
        // a shorter length and read past the packet. pgate client's peer session meets the same bytes.
        Assert.NotEmpty(name);
        using var peer = new EapPeerSession("User", MsChapV2Tests.Password, new FixedRandom(MsChapV2Tests.PeerChallenge));
        Assert.IsType<EapPeerStep.Respond>(peer.Process(MsChapV2Packet.CreateChallenge(2, 2, MsChapV2Tests.AuthenticatorChallenge, "srv"u8)));

        Assert.IsType<EapPeerStep.Failed>(peer.Process(Convert.FromHexString(hex)));
    }
}
