namespace PostureGate.Interop.Tests.Lab;

/// <summary>A connection of harness/conf/client.swanctl.conf.in and what it must negotiate, in
/// charon's notation (see <see cref="Swanctl.IkeSaInfo.Proposal"/>).</summary>
public sealed record ClientConn(string Name, string IkeProposal, string EspProposal)
{
    public override string ToString() => Name;
}

/// <summary>The client conns the interop tests iterate over; kept beside the template they name.</summary>
public static class ClientConns
{
    private const string AesCbcIke = "AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256";
    private const string AesCbcEsp = "AES_CBC_128/HMAC_SHA2_256_128";

    /// <summary>The three proposals together (the first one wins against a gateway offering all
    /// three), then each alone with its own ESP transform.</summary>
    public static readonly IReadOnlyList<ClientConn> Proposals =
    [
        new("dialup", $"{AesCbcIke}/MODP_2048", AesCbcEsp),
        new("aes128-sha256", $"{AesCbcIke}/MODP_2048", AesCbcEsp),
        new("aes256gcm", "AES_GCM_16_256/PRF_HMAC_SHA2_384/ECP_384", "AES_GCM_16_256"),
        new("chacha20poly1305", "CHACHA20_POLY1305/PRF_HMAC_SHA2_256/CURVE_25519", "CHACHA20_POLY1305"),
    ];

    /// <summary>One conn per FortiOS dhgrp 14, 19, 20, 21, 31 (IANA IKEv2 KE method numbers).</summary>
    public static readonly IReadOnlyList<ClientConn> DhGroups =
    [
        new("dh14", $"{AesCbcIke}/MODP_2048", AesCbcEsp),
        new("dh19", $"{AesCbcIke}/ECP_256", AesCbcEsp),
        new("dh20", $"{AesCbcIke}/ECP_384", AesCbcEsp),
        new("dh21", $"{AesCbcIke}/ECP_521", AesCbcEsp),
        new("dh31", $"{AesCbcIke}/CURVE_25519", AesCbcEsp),
    ];

    public static ClientConn Named(string name) => Proposals.Concat(DhGroups).First(c => c.Name == name);

    public static IEnumerable<object[]> ProposalData => Proposals.Select(c => new object[] { c.Name });

    public static IEnumerable<object[]> DhGroupData => DhGroups.Select(c => new object[] { c.Name });
}
