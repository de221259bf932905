namespace PostureGate.Interop.Tests.Swanctl;

/// <summary>One CHILD_SA inside an <see cref="IkeSaInfo"/> (vici "child-sas" entry).</summary>
public sealed record ChildSaInfo(
    string Name,
    int UniqueId,
    string State,
    string? Mode,
    string? Protocol,
    bool Encap,
    string? SpiIn,
    string? SpiOut,
    string? EncrAlg,
    int? EncrKeySize,
    string? IntegAlg,
    long BytesIn,
    long PacketsIn,
    long BytesOut,
    long PacketsOut,
    IReadOnlyList<string> LocalTs,
    IReadOnlyList<string> RemoteTs)
{
    public bool IsInstalled => State == "INSTALLED";

    /// <summary>ESP transform in charon's log notation, e.g. AES_CBC_128/HMAC_SHA2_256_128.</summary>
    public string Proposal => SwanctlNotation.Join(SwanctlNotation.Cipher(EncrAlg, EncrKeySize), IntegAlg);
}
