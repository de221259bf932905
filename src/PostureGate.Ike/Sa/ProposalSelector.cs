// RFC 7296 §2.7 proposal choice, responder side: the responder's configured order wins
// (FortiOS and strongSwan's default): for each configured suite × group, the first offered
// proposal that contains all of its transforms.
using PostureGate.Proposals;

namespace PostureGate.Ike.Sa;

public static class ProposalSelector
{
    /// <summary>The transforms a suite stands for (ENCR with key length for AES, INTEG unless AEAD, PRF for IKE).</summary>
    public static IEnumerable<TransformRef> TransformsOf(CipherSuite s, bool ike)
    {
        yield return new TransformRef(TransformType.Encryption, (ushort)s.Encryption, s.HasKeyLengthAttribute ? s.KeyBits : 0);
        if (ike)
            yield return new TransformRef(TransformType.Prf, (ushort)s.Prf);
        if (!s.IsAead)
            yield return new TransformRef(TransformType.Integrity, (ushort)s.Integrity);
    }

    private static bool Contains(OfferedProposal p, CipherSuite s, bool ike)
    {
        foreach (var t in TransformsOf(s, ike))
            if (!p.Has(t.Type, t.Id, t.KeyLength))
                return false;
        // RFC 5282 §8: an AEAD proposal carries no integrity algorithm other than NONE.
        if (s.IsAead)
            foreach (var t in p.Transforms)
                if (t.Type == TransformType.Integrity && t.Id != 0)
                    return false;
        return true;
    }

    /// <summary>Chooses an IKE proposal (protocol 1) from <paramref name="offered"/>; false = NO_PROPOSAL_CHOSEN.</summary>
    public static bool TrySelectIke(IEnumerable<(CipherSuite Suite, KeyExchangeMethod Group)> configured,
        IReadOnlyList<OfferedProposal> offered, out IkeProposal chosen, out byte proposalNumber)
    {
        foreach (var (suite, group) in configured)
        {
            foreach (var p in offered)
            {
                // §3.3.1: the IKE SA proposal in IKE_SA_INIT has an empty SPI; rekeys carry 8 bytes.
                if (p.Protocol != 1 || !Contains(p, suite, ike: true) || !p.Has(TransformType.KeyExchange, (ushort)group))
                    continue;
                chosen = new IkeProposal(suite, group);
                proposalNumber = p.Number;
                return true;
            }
        }
        chosen = default;
        proposalNumber = 0;
        return false;
    }

    /// <summary>
    /// Chooses an ESP proposal (protocol 3, 4-byte SPI). <paramref name="pfsGroups"/> empty means no KE
    /// transform is required (IKE_AUTH, or PFS disabled); a proposal offering only a KE group is then
    /// still accepted when it also lists NONE (RFC 7296 §3.3.3).
    /// ESN: NoEsn unless the proposal offers only ESN.
    /// </summary>
    public static bool TrySelectEsp(IReadOnlyList<CipherSuite> configured, IReadOnlyList<KeyExchangeMethod> pfsGroups,
        IReadOnlyList<OfferedProposal> offered, bool ignoreKeyExchange, out EspProposal chosen, out OfferedProposal? which)
    {
        foreach (var suite in configured)
        {
            foreach (var p in offered)
            {
                if (p.Protocol != 3 || p.Spi.Length != 4 || !Contains(p, suite, ike: false))
                    continue;
                var esn = !p.Has(TransformType.ExtendedSequenceNumbers, (ushort)EsnMode.NoEsn) && p.Has(TransformType.ExtendedSequenceNumbers, (ushort)EsnMode.Esn);
                var group = KeyExchangeMethod.None;
                if (!ignoreKeyExchange)
                {
                    if (!TryPfs(p, pfsGroups, out group))
                        continue;
                }
                chosen = new EspProposal(suite, esn, group);
                which = p;
                return true;
            }
        }
        chosen = default;
        which = null;
        return false;
    }

    private static bool TryPfs(OfferedProposal p, IReadOnlyList<KeyExchangeMethod> pfsGroups, out KeyExchangeMethod group)
    {
        group = KeyExchangeMethod.None;
        var offersKe = p.HasAny(TransformType.KeyExchange);
        if (pfsGroups.Count == 0)
            return !offersKe || p.Has(TransformType.KeyExchange, 0);
        foreach (var g in pfsGroups)
        {
            if (p.Has(TransformType.KeyExchange, (ushort)g))
            {
                group = g;
                return true;
            }
        }
        return false;
    }

    /// <summary>The proposals an initiator offers: one per suite × group, numbered from 1 (charon's order: ENCR, INTEG, PRF, DH).</summary>
    public static List<OfferedProposal> BuildIkeOffer(IEnumerable<(CipherSuite Suite, KeyExchangeMethod Group)> configured, byte[] spi)
    {
        var list = new List<OfferedProposal>();
        foreach (var (s, g) in configured)
        {
            var t = new List<TransformRef> { new(TransformType.Encryption, (ushort)s.Encryption, s.HasKeyLengthAttribute ? s.KeyBits : 0) };
            if (!s.IsAead)
                t.Add(new(TransformType.Integrity, (ushort)s.Integrity));
            t.Add(new(TransformType.Prf, (ushort)s.Prf));
            t.Add(new(TransformType.KeyExchange, (ushort)g));
            list.Add(new OfferedProposal((byte)(list.Count + 1), 1, spi, t));
        }
        return list;
    }

    /// <summary>ESP proposals offered by an initiator (ENCR, INTEG, [KE], ESN=none).</summary>
    public static List<OfferedProposal> BuildEspOffer(IReadOnlyList<CipherSuite> suites, KeyExchangeMethod pfs, uint spi)
    {
        var spiBytes = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(spiBytes, spi);
        var list = new List<OfferedProposal>();
        foreach (var s in suites)
        {
            var t = new List<TransformRef> { new(TransformType.Encryption, (ushort)s.Encryption, s.HasKeyLengthAttribute ? s.KeyBits : 0) };
            if (!s.IsAead)
                t.Add(new(TransformType.Integrity, (ushort)s.Integrity));
            if (pfs != KeyExchangeMethod.None)
                t.Add(new(TransformType.KeyExchange, (ushort)pfs));
            t.Add(new(TransformType.ExtendedSequenceNumbers, (ushort)EsnMode.NoEsn));
            list.Add(new OfferedProposal((byte)(list.Count + 1), 3, spiBytes, t));
        }
        return list;
    }

    /// <summary>The single proposal a responder returns for the choice (same number, its own SPI).</summary>
    public static OfferedProposal Echo(byte number, byte protocol, byte[] spi, CipherSuite s, KeyExchangeMethod group, bool ike, bool? esn)
    {
        var t = new List<TransformRef> { new(TransformType.Encryption, (ushort)s.Encryption, s.HasKeyLengthAttribute ? s.KeyBits : 0) };
        if (!s.IsAead)
            t.Add(new(TransformType.Integrity, (ushort)s.Integrity));
        if (ike)
            t.Add(new(TransformType.Prf, (ushort)s.Prf));
        if (group != KeyExchangeMethod.None)
            t.Add(new(TransformType.KeyExchange, (ushort)group));
        if (esn is { } e)
            t.Add(new(TransformType.ExtendedSequenceNumbers, (ushort)(e ? EsnMode.Esn : EsnMode.NoEsn)));
        return new OfferedProposal(number, protocol, spi, t);
    }

    /// <summary>Initiator side: reads the responder's single proposal back into a suite (must be one we offered).</summary>
    public static bool TryReadIkeAnswer(OfferedProposal answer, IEnumerable<(CipherSuite Suite, KeyExchangeMethod Group)> offered, out IkeProposal chosen)
    {
        foreach (var (s, g) in offered)
        {
            if (answer.Protocol == 1 && Contains(answer, s, ike: true) && answer.Has(TransformType.KeyExchange, (ushort)g))
            {
                chosen = new IkeProposal(s, g);
                return true;
            }
        }
        chosen = default;
        return false;
    }

    public static bool TryReadEspAnswer(OfferedProposal answer, IReadOnlyList<CipherSuite> offered, out EspProposal chosen)
    {
        foreach (var s in offered)
        {
            if (answer.Protocol == 3 && answer.Spi.Length == 4 && Contains(answer, s, ike: false))
            {
                var g = KeyExchangeMethod.None;
                foreach (var t in answer.Transforms)
                    if (t.Type == TransformType.KeyExchange)
                        g = (KeyExchangeMethod)t.Id;
                chosen = new EspProposal(s, answer.Has(TransformType.ExtendedSequenceNumbers, (ushort)EsnMode.Esn), g);
                return true;
            }
        }
        chosen = default;
        return false;
    }
}
