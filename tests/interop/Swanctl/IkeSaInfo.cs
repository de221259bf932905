namespace PostureGate.Interop.Tests.Swanctl;

/// <summary>One IKE_SA as strongSwan's swanctl --list-sas reports it (vici "list-sa" event).
/// Algorithm names are charon's (AES_CBC, HMAC_SHA2_256_128, PRF_HMAC_SHA2_256, MODP_2048).</summary>
public sealed record IkeSaInfo(
    string Name,
    int UniqueId,
    string State,
    string? LocalHost,
    int? LocalPort,
    string? LocalId,
    string? RemoteHost,
    int? RemotePort,
    string? RemoteId,
    string? InitiatorSpi,
    string? ResponderSpi,
    string? EncrAlg,
    int? EncrKeySize,
    string? IntegAlg,
    string? PrfAlg,
    string? DhGroup,
    IReadOnlyList<string> LocalVips,
    IReadOnlyList<string> RemoteVips,
    IReadOnlyList<ChildSaInfo> Children,
    string? RemoteEapId = null)
{
    public bool IsEstablished => State == "ESTABLISHED";

    /// <summary>The proposal in charon's log notation ("selected proposal: IKE:…" without the
    /// prefix), e.g. AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048.</summary>
    public string Proposal => SwanctlNotation.Join(SwanctlNotation.Cipher(EncrAlg, EncrKeySize), IntegAlg, PrfAlg, DhGroup);
}
