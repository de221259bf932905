// The state machine's view of an IKE SA's keys: the codec's IkeSaKeys (RFC 7296 §2.14 / §2.18
// key schedule) plus the negotiated proposal and one SK cipher per direction, created once.
using PostureGate.Ike.Crypto;

namespace PostureGate.Ike.Sa;

public sealed class IkeKeyMaterial : IDisposable
{
    private SkCipher? _fromInitiator, _fromResponder;

    private IkeKeyMaterial(IkeProposal proposal, IkeSaKeys keys)
    {
        Proposal = proposal;
        Keys = keys;
    }

    public IkeProposal Proposal { get; }
    public IkeSaKeys Keys { get; }

    /// <summary>§2.14: SKEYSEED = prf(Ni | Nr, g^ir) and SK_d … SK_pr.</summary>
    public static IkeKeyMaterial Derive(IkeProposal proposal, ReadOnlySpan<byte> sharedSecret, byte[] ni, byte[] nr, ulong spiI, ulong spiR) =>
        new(proposal, IkeSaKeys.Derive(proposal.Suite, sharedSecret, ni, nr, spiI, spiR));

    /// <summary>§2.18: SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr).</summary>
    public static IkeKeyMaterial DeriveRekey(IkeProposal proposal, IkeKeyMaterial old, ReadOnlySpan<byte> sharedSecret, byte[] ni, byte[] nr, ulong spiI, ulong spiR) =>
        new(proposal, old.Keys.DeriveRekeyed(proposal.Suite, sharedSecret, ni, nr, spiI, spiR));

    /// <summary>The SK cipher protecting messages sent by the original initiator (SK_ei/SK_ai).</summary>
    public SkCipher FromInitiator => _fromInitiator ??= Keys.CreateCipher(sentByInitiator: true);

    /// <summary>The SK cipher protecting messages sent by the original responder (SK_er/SK_ar).</summary>
    public SkCipher FromResponder => _fromResponder ??= Keys.CreateCipher(sentByInitiator: false);

    /// <summary>
    /// RFC 7296 §2.15 shared-key AUTH of one side: prf(prf(secret, "Key Pad for IKEv2"), RealMessage |
    /// Nonce(peer) | prf(SK_px, IDx')). With EAP (§2.16) the secret is the MSK.
    /// </summary>
    public byte[] SharedKeyAuth(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> realMessage, ReadOnlySpan<byte> peerNonce, ReadOnlySpan<byte> idBody, bool ofInitiator)
    {
        var octets = Crypto.SharedKeyAuth.SignedOctets(Keys.Prf, realMessage, peerNonce, Keys.SkP(ofInitiator), idBody);
        return Crypto.SharedKeyAuth.Compute(Keys.Prf, secret, octets);
    }

    /// <summary>
    /// RFC 7296 §2.15 signed octets of one side, what a signature AUTH signs: RealMessage | Nonce(peer) |
    /// prf(SK_px, IDx').
    /// </summary>
    public byte[] SignedOctets(ReadOnlySpan<byte> realMessage, ReadOnlySpan<byte> peerNonce, ReadOnlySpan<byte> idBody, bool ofInitiator) =>
        Crypto.SharedKeyAuth.SignedOctets(Keys.Prf, realMessage, peerNonce, Keys.SkP(ofInitiator), idBody);

    public void Dispose()
    {
        _fromInitiator?.Dispose();
        _fromResponder?.Dispose();
        Keys.Dispose();
    }
}
