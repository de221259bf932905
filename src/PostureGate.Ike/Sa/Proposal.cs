// RFC 7296 §3.3: a proposal reduced to what negotiation needs (the wire codec's SA payload is
// mapped onto this), and the selected result.
using PostureGate.Proposals;

namespace PostureGate.Ike.Sa;

/// <summary>One transform (RFC 7296 §3.3.2) with its Key Length attribute (§3.3.5; 0 when absent).</summary>
public readonly record struct TransformRef(TransformType Type, ushort Id, int KeyLength = 0);

/// <summary>A proposal as offered by the peer: number, protocol (1 IKE, 3 ESP), SPI and transforms.</summary>
public sealed record OfferedProposal(byte Number, byte Protocol, byte[] Spi, IReadOnlyList<TransformRef> Transforms)
{
    public bool Has(TransformType type, ushort id, int keyLength = 0)
    {
        foreach (var t in Transforms)
            if (t.Type == type && t.Id == id && t.KeyLength == keyLength)
                return true;
        return false;
    }

    public bool HasAny(TransformType type)
    {
        foreach (var t in Transforms)
            if (t.Type == type)
                return true;
        return false;
    }
}

/// <summary>The IKE proposal chosen (or to offer): a suite and a key exchange group.</summary>
public readonly record struct IkeProposal(CipherSuite Suite, KeyExchangeMethod Group)
{
    public override string ToString() => $"{Suite.Name}/{Proposals.FortiOsProposals.DhGroupName(Group)}";
}

/// <summary>The ESP proposal chosen: a suite, ESN, and (CREATE_CHILD_SA with PFS) a group.</summary>
public readonly record struct EspProposal(CipherSuite Suite, bool Esn, KeyExchangeMethod PfsGroup)
{
    public override string ToString() => $"ESP:{Suite.Name}{(Esn ? "/ESN" : "")}";
}
