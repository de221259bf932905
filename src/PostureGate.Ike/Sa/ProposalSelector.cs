// RFC 7296 §2.7 proposal choice. Responder side: the responder's configured order wins
// (FortiOS and strongSwan's default): for each configured suite × group, the first offered
// proposal that contains all of its transforms. Initiator side: read the single answer back.
using System.Diagnostics.CodeAnalysis;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Proposals;

namespace PostureGate.Ike.Sa;

// Indexed loops over Transforms: foreach over the IReadOnlyList would box an enumerator per
// check, and a FortiClient-style offer (25 IKE proposals) makes hundreds of checks per SA.
public static class ProposalSelector
{
    private static bool Has(Proposal p, TransformType type, ushort id, int keyLength = 0)
    {
        var transforms = p.Transforms;
        for (var i = 0; i < transforms.Count; i++)
        {
            var t = transforms[i];
            if (t.Type == type && t.Id == id && (t.KeyLength ?? 0) == keyLength)
                return true;
        }
        return false;
    }

    private static bool HasAny(Proposal p, TransformType type)
    {
        var transforms = p.Transforms;
        for (var i = 0; i < transforms.Count; i++)
            if (transforms[i].Type == type)
                return true;
        return false;
    }

    /// <summary>Whether the proposal contains the suite's ENCR (with key length), PRF (IKE) and INTEG (non-AEAD).</summary>
    private static bool Contains(Proposal p, CipherSuite s, bool ike)
    {
        if (!Has(p, TransformType.Encryption, (ushort)s.Encryption, s.HasKeyLengthAttribute ? s.KeyBits : 0))
            return false;
        if (ike && !Has(p, TransformType.Prf, (ushort)s.Prf))
            return false;
        if (!s.IsAead)
            return Has(p, TransformType.Integrity, (ushort)s.Integrity);
        // RFC 5282 §8: an AEAD proposal carries no integrity algorithm other than NONE.
        var transforms = p.Transforms;
        for (var i = 0; i < transforms.Count; i++)
            if (transforms[i].Type == TransformType.Integrity && transforms[i].Id != 0)
                return false;
        return true;
    }

    /// <summary>Chooses an IKE proposal; false = NO_PROPOSAL_CHOSEN.</summary>
    public static bool TrySelectIke(IEnumerable<(CipherSuite Suite, KeyExchangeMethod Group)> configured,
        IReadOnlyList<Proposal> offered, out IkeProposal chosen, [NotNullWhen(true)] out Proposal? which)
    {
        foreach (var (suite, group) in configured)
        {
            for (var i = 0; i < offered.Count; i++)
            {
                var p = offered[i];
                if (p.Protocol != ProtocolId.Ike || !Contains(p, suite, ike: true) || !Has(p, TransformType.KeyExchange, (ushort)group))
                    continue;
                chosen = new IkeProposal(suite, group);
                which = p;
                return true;
            }
        }
        chosen = default;
        which = null;
        return false;
    }

    /// <summary>
    /// Chooses an ESP proposal (4-byte SPI). With <paramref name="ignoreKeyExchange"/> (IKE_AUTH, RFC 7296
    /// §1.2: no KE there) KE transforms are not looked at; otherwise <paramref name="pfsGroups"/> empty
    /// means the proposal must offer no group (or NONE). ESN: none unless only ESN is offered.
    /// </summary>
    public static bool TrySelectEsp(IReadOnlyList<CipherSuite> configured, IReadOnlyList<KeyExchangeMethod> pfsGroups,
        IReadOnlyList<Proposal> offered, bool ignoreKeyExchange, out EspProposal chosen, [NotNullWhen(true)] out Proposal? which)
    {
        for (var c = 0; c < configured.Count; c++)
        {
            var suite = configured[c];
            for (var i = 0; i < offered.Count; i++)
            {
                var p = offered[i];
                if (p.Protocol != ProtocolId.Esp || p.Spi.Length != 4 || !Contains(p, suite, ike: false))
                    continue;
                var esn = !Has(p, TransformType.ExtendedSequenceNumbers, (ushort)EsnMode.NoEsn)
                    && Has(p, TransformType.ExtendedSequenceNumbers, (ushort)EsnMode.Esn);
                var group = KeyExchangeMethod.None;
                if (!ignoreKeyExchange && !TryPfs(p, pfsGroups, out group))
                    continue;
                chosen = new EspProposal(suite, esn, group);
                which = p;
                return true;
            }
        }
        chosen = default;
        which = null;
        return false;
    }

    private static bool TryPfs(Proposal p, IReadOnlyList<KeyExchangeMethod> pfsGroups, out KeyExchangeMethod group)
    {
        group = KeyExchangeMethod.None;
        if (pfsGroups.Count == 0)
            return !HasAny(p, TransformType.KeyExchange) || Has(p, TransformType.KeyExchange, 0);
        foreach (var g in pfsGroups)
        {
            if (Has(p, TransformType.KeyExchange, (ushort)g))
            {
                group = g;
                return true;
            }
        }
        return false;
    }

    /// <summary>The IKE proposals an initiator offers: one per suite × group, numbered from 1.</summary>
    public static List<Proposal> BuildIkeOffer(IEnumerable<(CipherSuite Suite, KeyExchangeMethod Group)> configured, byte[]? spi = null)
    {
        var list = new List<Proposal>();
        foreach (var (s, g) in configured)
            list.Add(Proposal.ForIke((byte)(list.Count + 1), s, g, spi));
        return list;
    }

    /// <summary>ESP proposals offered by an initiator.</summary>
    public static List<Proposal> BuildEspOffer(IReadOnlyList<CipherSuite> suites, KeyExchangeMethod pfs, uint spi)
    {
        var list = new List<Proposal>();
        foreach (var s in suites)
            list.Add(Proposal.ForEsp((byte)(list.Count + 1), s, spi, pfs));
        return list;
    }

    /// <summary>The single IKE proposal a responder returns (same number, §3.3.1).</summary>
    public static Proposal EchoIke(byte number, IkeProposal chosen, byte[]? spi = null)
    {
        var p = Proposal.ForIke(number, chosen.Suite, chosen.Group, spi);
        return p;
    }

    /// <summary>The single ESP proposal a responder returns, with its own inbound SPI.</summary>
    public static Proposal EchoEsp(byte number, EspProposal chosen, uint spi) =>
        Proposal.ForEsp(number, chosen.Suite, spi, chosen.PfsGroup, chosen.Esn ? EsnMode.Esn : EsnMode.NoEsn);

    /// <summary>Initiator side: the responder's single proposal must be one we offered.</summary>
    public static bool TryReadIkeAnswer(SaPayload answer, IEnumerable<(CipherSuite Suite, KeyExchangeMethod Group)> offered, out IkeProposal chosen)
    {
        chosen = default;
        if (answer.Proposals.Count != 1)
            return false;
        var p = answer.Proposals[0];
        foreach (var (s, g) in offered)
        {
            if (p.Protocol == ProtocolId.Ike && Contains(p, s, ike: true) && Has(p, TransformType.KeyExchange, (ushort)g))
            {
                chosen = new IkeProposal(s, g);
                return true;
            }
        }
        return false;
    }

    public static bool TryReadEspAnswer(SaPayload answer, IReadOnlyList<CipherSuite> offered, KeyExchangeMethod pfs, out EspProposal chosen, out uint peerSpi)
    {
        chosen = default;
        peerSpi = 0;
        if (answer.Proposals.Count != 1)
            return false;
        var p = answer.Proposals[0];
        foreach (var s in offered)
        {
            if (p.Protocol != ProtocolId.Esp || p.Spi.Length != 4 || !Contains(p, s, ike: false))
                continue;
            if (pfs != KeyExchangeMethod.None && !Has(p, TransformType.KeyExchange, (ushort)pfs))
                return false;
            chosen = new EspProposal(s, Has(p, TransformType.ExtendedSequenceNumbers, (ushort)EsnMode.Esn), pfs);
            peerSpi = p.EspSpi;
            return true;
        }
        return false;
    }
}
