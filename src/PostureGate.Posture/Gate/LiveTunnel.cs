// A tunnel the posture gate admitted and that is still up, with what admitted it (remote-gw-match, ZTNA tag, token) — PostureGate's own.
using System.Net;

namespace PostureGate.Posture;

/// <summary>A tunnel admitted by the gate and still up: what it was admitted by, and the endpoint it stands for.</summary>
public sealed record LiveTunnel
{
    public required string Tunnel { get; init; }
    public required string Instance { get; init; }
    public required RemoteGwMatch Match { get; init; }
    public string? Uid { get; init; }
    public uint? Ipv4 { get; init; }
    public IPEndPoint? Peer { get; init; }
    public string? User { get; init; }
    public string? MatchedTag { get; init; }
    public PostureSource Source { get; init; }
    /// <summary>The newest valid token the client sent (continuous enforcement while the EMS is away).</summary>
    public ZtnaToken? Token { get; init; }
    /// <summary>
    /// The ZTNA_TAG of IKE_AUTH (FCTTAGS=1) when the EMS decided: kept unverified, and verified
    /// only if that EMS goes out of sync — then it decides as it would for a new connection.
    /// </summary>
    public byte[]? PendingToken { get; init; }
    public DateTimeOffset AdmittedAt { get; init; }
    /// <summary>What the IKE SA proved, against which every token of this tunnel, later ones too, is checked.</summary>
    public TokenBinding Binding { get; init; }

    /// <summary>The fctems entry whose tag admitted the tunnel (its `EMS&lt;n&gt;_` prefix), if any.</summary>
    public int? ConnectorId => DynamicAddressName.TryParse(MatchedTag, out var name) ? name.ConnectorId : null;
}
