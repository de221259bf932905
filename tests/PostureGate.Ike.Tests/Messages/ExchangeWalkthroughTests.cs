// The strongSwan dial-up exchange of INITIATOR-MESSAGES.md walked at wire level
// with this API only, both ends in one process (the g^ir shared secret is a
// stand-in: key exchange is another layer's): IKE_SA_INIT with NAT detection,
// key derivation on both sides, IKE_AUTH without AUTH (EAP wanted), the
// responder's PSK AUTH with the EAP-Identity request, the final AUTH keyed with an EAP MSK,
// and matching CHILD_SA keys.
using System.Net;
using PostureGate.Ike.Crypto;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Net;
using PostureGate.Proposals;

namespace PostureGate.Ike.Tests.Messages;

public class ExchangeWalkthroughTests
{
    private static IkeMessage Receive(byte[] datagram, SkCipher? inbound = null)
    {
        var onPort4500 = UdpEncapsulation.AddNonEspMarker(datagram);
        Assert.Equal(UdpEncapsulatedKind.Ike, UdpEncapsulation.Classify(onPort4500));
        Assert.True(IkeMessage.TryParse(onPort4500[UdpEncapsulation.NonEspMarkerLength..], out var message, out var error), error.ToString());
        if (inbound is null)
            return message!;
        Assert.True(message!.TryDecrypt(inbound, out var inner, out error), error.ToString());
        return inner!;
    }

    [Fact]
    public void DialUpWithEap_BothEndsAgree()
    {
        var suite = StrongSwanMessages.AesCbc128Sha256;
        var client = new IPEndPoint(IPAddress.Parse("192.168.1.10"), 500);     // behind a NAT
        var natted = new IPEndPoint(IPAddress.Parse("198.51.100.2"), 55846);  // what the gateway sees
        var gateway = new IPEndPoint(IPAddress.Parse("198.51.100.1"), 500);
        const ulong spiI = 0x1111, spiR = 0x2222;

        // -> IKE_SA_INIT request, NAT-D hashes over the client's own view.
        var ni = NoncePayload.CreateRandom();
        var request = StrongSwanMessages.IkeSaInitRequest();
        request.Header = request.Header with { InitiatorSpi = spiI };
        request.Payloads[2] = ni;
        request.Payloads[3] = new NotifyPayload(NotifyType.NatDetectionSourceIp, NatDetection.ComputeHash(spiI, 0, client));
        request.Payloads[4] = new NotifyPayload(NotifyType.NatDetectionDestinationIp, NatDetection.ComputeHash(spiI, 0, gateway));
        var realMessage1 = request.Encode();

        var atGateway = Receive(realMessage1);
        var sourceHash = atGateway.FindNotify(NotifyType.NatDetectionSourceIp)!.Data;
        Assert.False(NatDetection.Matches(sourceHash, spiI, 0, natted)); // "remote host is behind NAT"
        Assert.True(NatDetection.Matches(atGateway.FindNotify(NotifyType.NatDetectionDestinationIp)!.Data, spiI, 0, gateway));

        // <- IKE_SA_INIT response with the chosen proposal 1.
        var nr = NoncePayload.CreateRandom();
        var response = new IkeMessage(new IkeHeader(spiI, spiR, 0, ExchangeType.IkeSaInit, IkeHeaderFlags.Response, 0, 0),
        [
            new SaPayload([atGateway.Find<SaPayload>()!.Proposals[0]]),
            new KePayload(KeyExchangeMethod.Modp2048, new byte[256]), nr,
        ]);
        var realMessage2 = response.Encode();
        var atClient = Receive(realMessage2);
        Assert.Equal(1, atClient.Find<SaPayload>()!.Proposals.Single().Number);

        var gir = StrongSwanMessages.Filled(256, 0x5a);
        using var clientKeys = IkeSaKeys.Derive(suite, gir, ni.Data, atClient.Find<NoncePayload>()!.Data, spiI, spiR);
        using var gatewayKeys = IkeSaKeys.Derive(suite, gir, atGateway.Find<NoncePayload>()!.Data, nr.Data, spiI, spiR);
        using var clientOut = clientKeys.CreateCipher(true);
        using var clientIn = clientKeys.CreateCipher(false);
        using var gatewayOut = gatewayKeys.CreateCipher(false);
        using var gatewayIn = gatewayKeys.CreateCipher(true);

        // -> IKE_AUTH 1 without AUTH: the gateway reads IDi and the EAP wish.
        var auth1 = StrongSwanMessages.IkeAuthRequest();
        auth1.Header = auth1.Header with { InitiatorSpi = spiI, ResponderSpi = spiR };
        var idi = Receive(auth1.Encode(clientOut), gatewayIn);
        Assert.Null(idi.Find<AuthPayload>());
        Assert.True(idi.HasNotify(NotifyType.EapOnlyAuthentication));
        var idiBody = idi.Find<IdPayload>()!.EncodeBody();

        // <- IKE_AUTH 1: IDr, AUTH with the PSK over RealMessage2 | Ni | prf(SK_pr, IDr'), EAP-Identity request.
        var psk = "a pre-shared key"u8.ToArray();
        var idr = IdPayload.FromFqdn(PayloadType.IdResponder, "gw.pg.example");
        var gatewayAuth = SharedKeyAuth.Compute(gatewayKeys.Prf, psk,
            SharedKeyAuth.SignedOctets(gatewayKeys.Prf, realMessage2, ni.Data, gatewayKeys.SkP(false), idr.EncodeBody()));
        var rsp1 = Receive(new IkeMessage(new IkeHeader(spiI, spiR, 0, ExchangeType.IkeAuth, IkeHeaderFlags.Response, 1, 0),
            [idr, new AuthPayload(AuthMethod.SharedKeyMic, gatewayAuth), new EapPayload([1, 0, 0, 5, 1])]).Encode(gatewayOut), clientIn);
        Assert.Equal("IKE_AUTH response 1 [ IDr AUTH EAP/REQ/1 ]", rsp1.ToString());
        Assert.True(SharedKeyAuth.Verify(clientKeys.Prf, psk,
            SharedKeyAuth.SignedOctets(clientKeys.Prf, atClient.RawBytes.Span, ni.Data, clientKeys.SkP(false), rsp1.Find<IdPayload>()!.EncodeBody()),
            rsp1.Find<AuthPayload>()!.Data));

        // The EAP method ends with an MSK on both sides; the final AUTHs use it (§2.16).
        var msk = StrongSwanMessages.Filled(64, 0x4d);
        var clientFinal = SharedKeyAuth.Compute(clientKeys.Prf, msk,
            SharedKeyAuth.SignedOctets(clientKeys.Prf, realMessage1, atClient.Find<NoncePayload>()!.Data, clientKeys.SkP(true), idiBody));
        var req5 = Receive(new IkeMessage(new IkeHeader(spiI, spiR, 0, ExchangeType.IkeAuth, IkeHeaderFlags.Initiator, 5, 0),
            [new AuthPayload(AuthMethod.SharedKeyMic, clientFinal)]).Encode(clientOut), gatewayIn);
        Assert.True(SharedKeyAuth.Verify(gatewayKeys.Prf, msk,
            SharedKeyAuth.SignedOctets(gatewayKeys.Prf, atGateway.RawBytes.Span, nr.Data, gatewayKeys.SkP(true), idiBody),
            req5.Find<AuthPayload>()!.Data));
        Assert.False(SharedKeyAuth.Verify(gatewayKeys.Prf, psk,
            SharedKeyAuth.SignedOctets(gatewayKeys.Prf, atGateway.RawBytes.Span, nr.Data, gatewayKeys.SkP(true), idiBody),
            req5.Find<AuthPayload>()!.Data));

        // CHILD_SA from the IKE_SA_INIT nonces: what one side sends, the other receives.
        var esp = suite with { Prf = PrfAlgorithm.None };
        using var clientChild = clientKeys.DeriveChildSaKeys(esp, ni.Data, nr.Data);
        using var gatewayChild = gatewayKeys.DeriveChildSaKeys(esp, ni.Data, nr.Data);
        Assert.Equal(clientChild.Outbound(true).EncryptionKey.ToArray(), gatewayChild.Inbound(false).EncryptionKey.ToArray());
        Assert.Equal(gatewayChild.Outbound(false).IntegrityKey.ToArray(), clientChild.Inbound(true).IntegrityKey.ToArray());
        Assert.NotEqual(clientChild.Outbound(true).EncryptionKey.ToArray(), clientChild.Inbound(true).EncryptionKey.ToArray());
    }
}
