// The outcome of RFC 7296 §2.7 proposal choice, as the state machine keeps it.
using PostureGate.Proposals;

namespace PostureGate.Ike.Sa;

/// <summary>The IKE proposal chosen (or to offer): a suite and a key exchange group.</summary>
public readonly record struct IkeProposal(CipherSuite Suite, KeyExchangeMethod Group)
{
    public override string ToString() => $"{Suite.Name}/{FortiOsProposals.DhGroupName(Group)}";
}

/// <summary>The ESP proposal chosen: a suite, ESN, and (CREATE_CHILD_SA with PFS) a group.</summary>
public readonly record struct EspProposal(CipherSuite Suite, bool Esn, KeyExchangeMethod PfsGroup)
{
    public override string ToString() => $"ESP:{Suite.Name}{(Esn ? "/ESN" : "/NO_EXT_SEQ")}";
}
