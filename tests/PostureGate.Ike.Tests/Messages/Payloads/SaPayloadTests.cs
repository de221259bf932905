using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Proposals;

namespace PostureGate.Ike.Tests.Messages.Payloads;

public class SaPayloadTests
{
    private static SaPayload Offer() => new(
    [
        Proposal.ForIke(1, StrongSwanMessages.AesCbc128Sha256, KeyExchangeMethod.Modp2048),
        Proposal.ForEsp(2, new CipherSuite("aes256gcm", EncryptionAlgorithm.AesGcm16, 256, IntegrityAlgorithm.None, PrfAlgorithm.None),
            0xdeadbeef, KeyExchangeMethod.Ecp256),
    ]);

    [Fact]
    public void RoundTrip_KeepsProposalsTransformsAndAttributes()
    {
        var sa = PayloadAssert.RoundTrip(Offer());
        Assert.Equal(2, sa.Proposals.Count);
        Assert.Equal(ProtocolId.Ike, sa.Proposals[0].Protocol);
        Assert.Empty(sa.Proposals[0].Spi);
        Assert.Equal(["AesCbc_128", "HmacSha2_256_128", "HmacSha2_256", "Modp2048"], sa.Proposals[0].Transforms.Select(t => t.ToString()));
        Assert.Equal(0xdeadbeefu, sa.Proposals[1].EspSpi);
        Assert.Equal(["AesGcm16_256", "Ecp256", "NoEsn"], sa.Proposals[1].Transforms.Select(t => t.ToString()));
        Assert.Single(sa.Proposals[1].TransformsOf(TransformType.KeyExchange));
    }

    [Fact]
    public void KnownEncoding_OfOneTransformProposal()
    {
        var sa = new SaPayload([new Proposal(1, ProtocolId.Ike, [], [Transform.Encryption(EncryptionAlgorithm.AesCbc, 256)])]);
        // Proposal: last, len 20, #1, IKE, SPI size 0, 1 transform; transform: last, len 12, ENCR, id 12, attr 0x800e = 256.
        Assert.Equal("00000014" + "01010001" + "0000000c" + "0100000c" + "800e0100", Convert.ToHexStringLower(sa.EncodeBody()));
    }

    private static byte[] Body() => Offer().EncodeBody();

    [Fact]
    public void Empty() => Assert.Contains("no last proposal", PayloadAssert.Rejects(PayloadType.SecurityAssociation, []));

    [Fact]
    public void TooShort() => PayloadAssert.Rejects(PayloadType.SecurityAssociation, Body()[..7]);

    [Fact]
    public void BadLength_ProposalBeyondPayload()
    {
        var body = Body();
        body[3] = 0xff;
        PayloadAssert.Rejects(PayloadType.SecurityAssociation, body);
    }

    [Fact]
    public void BadLastSubstruc()
    {
        var body = Body();
        body[0] = 1;
        Assert.Contains("Last Substruc", PayloadAssert.Rejects(PayloadType.SecurityAssociation, body));
    }

    [Fact]
    public void LastProposalFlagOnTheFirst_LeavesDataAfterIt()
    {
        var body = Body();
        body[0] = 0;
        Assert.Contains("after the last proposal", PayloadAssert.Rejects(PayloadType.SecurityAssociation, body));
    }

    [Fact]
    public void TransformCountMismatch()
    {
        var body = Body();
        body[7] = 3; // the first proposal carries 4 transforms
        Assert.Contains("announces 3 transforms", PayloadAssert.Rejects(PayloadType.SecurityAssociation, body));
    }

    [Fact]
    public void ProposalNumbersMustCountFromOne()
    {
        var sa = new SaPayload([Proposal.ForIke(1, StrongSwanMessages.AesCbc128Sha256, KeyExchangeMethod.Modp2048),
            Proposal.ForIke(3, StrongSwanMessages.AesCbc128Sha256, KeyExchangeMethod.Ecp256)]);
        Assert.Contains("numbered 3", PayloadAssert.Rejects(PayloadType.SecurityAssociation, sa.EncodeBody()));
    }

    [Fact]
    public void ASingleChosenProposal_KeepsItsOfferNumber()
    {
        var sa = new SaPayload([Proposal.ForIke(3, StrongSwanMessages.AesCbc128Sha256, KeyExchangeMethod.Modp2048)]);
        Assert.Equal(3, PayloadAssert.RoundTrip(sa).Proposals[0].Number);
    }

    [Fact]
    public void BadSpiSize_ForEsp()
    {
        var sa = new SaPayload([new Proposal(1, ProtocolId.Esp, [1, 2], [Transform.Esn(EsnMode.NoEsn)])]);
        Assert.Contains("SPI size 2", PayloadAssert.Rejects(PayloadType.SecurityAssociation, sa.EncodeBody()));
    }

    [Fact]
    public void IkeRekeyProposal_HasAnEightOctetSpi()
    {
        var sa = new SaPayload([Proposal.ForIke(1, StrongSwanMessages.AesCbc128Sha256, KeyExchangeMethod.Modp2048, [1, 2, 3, 4, 5, 6, 7, 8])]);
        Assert.Equal(0x0102030405060708UL, PayloadAssert.RoundTrip(sa).Proposals[0].IkeSpi);
    }

    [Fact]
    public void UnknownProtocol()
    {
        var sa = new SaPayload([new Proposal(1, (ProtocolId)9, [], [Transform.Esn(EsnMode.NoEsn)])]);
        PayloadAssert.Rejects(PayloadType.SecurityAssociation, sa.EncodeBody());
    }

    [Fact]
    public void ProposalWithoutTransforms()
    {
        var sa = new SaPayload([new Proposal(1, ProtocolId.Ike, [], [])]);
        Assert.Contains("without transforms", PayloadAssert.Rejects(PayloadType.SecurityAssociation, sa.EncodeBody()));
    }

    [Fact]
    public void TlvAttributeBeyondTransform()
    {
        var sa = new SaPayload([new Proposal(1, ProtocolId.Ike, [], [new Transform(TransformType.Encryption, 12,
            [new TransformAttribute(99, false, [1, 2, 3, 4])])])]);
        var body = sa.EncodeBody();
        body[^5] = 9; // TLV length 4 -> 9
        PayloadAssert.Rejects(PayloadType.SecurityAssociation, body);
    }

    [Fact]
    public void TlvAttribute_RoundTrips()
    {
        var sa = new SaPayload([new Proposal(1, ProtocolId.Ike, [], [new Transform(TransformType.Encryption, 12,
            [new TransformAttribute(99, false, [1, 2, 3, 4]), TransformAttribute.KeyLength(192)])])]);
        var t = PayloadAssert.RoundTrip(sa).Proposals[0].Transforms[0];
        Assert.Equal(192, t.KeyLength);
        Assert.Equal([1, 2, 3, 4], t.Attributes[0].Value);
        Assert.False(t.Attributes[0].IsTv);
    }
}
