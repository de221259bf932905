using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Ike.Sa;
using PostureGate.Proposals;

namespace PostureGate.Ike.Tests.Sa;

public class ProposalSelectorTests
{
    private static CipherSuite P1(string n) => FortiOsProposals.TryGetPhase1(n, out var s) ? s : throw new ArgumentException(n);
    private static CipherSuite P2(string n) => FortiOsProposals.TryGetPhase2(n, out var s) ? s : throw new ArgumentException(n);

    // The three proposals strongSwan 5.9.8 sends in the lab (INITIATOR-MESSAGES.md).
    private static readonly List<Proposal> LabOffer = ProposalSelector.BuildIkeOffer(
    [
        (P1("aes128-sha256"), KeyExchangeMethod.Modp2048),
        (P1("aes256gcm-prfsha384"), KeyExchangeMethod.Ecp384),
        (P1("chacha20poly1305-prfsha256"), KeyExchangeMethod.Curve25519),
    ]);

    [Fact]
    public void ResponderOrderWins()
    {
        Assert.True(ProposalSelector.TrySelectIke(
            [(P1("chacha20poly1305-prfsha256"), KeyExchangeMethod.Curve25519), (P1("aes128-sha256"), KeyExchangeMethod.Modp2048)],
            LabOffer, out var chosen, out var which));
        Assert.Equal(3, which!.Number);
        Assert.Equal(KeyExchangeMethod.Curve25519, chosen.Group);
        Assert.Equal("chacha20poly1305-prfsha256", chosen.Suite.Name);
    }

    [Fact]
    public void KeyLengthMustMatch() =>
        Assert.False(ProposalSelector.TrySelectIke([(P1("aes256-sha256"), KeyExchangeMethod.Modp2048)], LabOffer, out _, out _));

    [Fact]
    public void GroupMustMatch() =>
        Assert.False(ProposalSelector.TrySelectIke([(P1("aes128-sha256"), KeyExchangeMethod.Ecp256)], LabOffer, out _, out _));

    [Fact]
    public void EspChoosesNoEsnAndIgnoresKeInIkeAuth()
    {
        var offer = ProposalSelector.BuildEspOffer([P2("aes128-sha256"), P2("aes256gcm")], KeyExchangeMethod.None, 0x06039515);
        Assert.True(ProposalSelector.TrySelectEsp([P2("aes256gcm")], [], offer, ignoreKeyExchange: true, out var chosen, out var which));
        Assert.Equal(2, which!.Number);
        Assert.False(chosen.Esn);
    }

    [Fact]
    public void EspWithPfsRequiresGroup()
    {
        var offer = ProposalSelector.BuildEspOffer([P2("aes128-sha256")], KeyExchangeMethod.Ecp256, 0x1000);
        Assert.False(ProposalSelector.TrySelectEsp([P2("aes128-sha256")], [KeyExchangeMethod.Modp2048], offer, false, out _, out _));
        Assert.True(ProposalSelector.TrySelectEsp([P2("aes128-sha256")], [KeyExchangeMethod.Ecp256], offer, false, out var c, out _));
        Assert.Equal(KeyExchangeMethod.Ecp256, c.PfsGroup);
    }

    [Fact]
    public void AeadWithIntegrityIsRefused()
    {
        var bad = new Proposal(1, ProtocolId.Esp, new byte[4],
            [Transform.Encryption(EncryptionAlgorithm.AesGcm16, 256), Transform.Integrity(IntegrityAlgorithm.HmacSha2_256_128)]);
        Assert.False(ProposalSelector.TrySelectEsp([P2("aes256gcm")], [], [bad], true, out _, out _));
    }
}
