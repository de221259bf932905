// What the IKE layer hands the gate after AUTH succeeded (PostAuthenticationContext, adapted).
using System.Net;

namespace PostureGate.Posture;

public sealed record PostureRequest
{
    /// <summary>The phase1 (FortiOS "dialup"), whose settings are <see cref="Match"/>.</summary>
    public required string Tunnel { get; init; }
    /// <summary>The dial-up instance ("dialup_0"): what a later revocation names.</summary>
    public required string Instance { get; init; }
    public RemoteGwMatch Match { get; init; } = RemoteGwMatch.Any;
    /// <summary>The peer's address as seen on the wire (public, after NAT).</summary>
    public required IPEndPoint Peer { get; init; }
    /// <summary>IDi when it is ID_IPV4_ADDR (or ID_IPV6_ADDR).</summary>
    public IPAddress? IkeIdAddress { get; init; }
    public string? EapUser { get; init; }
    /// <summary>The FORTICLIENT_CONNECT notify body, if the peer sent one.</summary>
    public ReadOnlyMemory<byte>? FortiClientConnect { get; init; }
    /// <summary>The UID of the device certificate the peer authenticated with in IKE_AUTH (verified by the IKE layer), if any.</summary>
    public string? DeviceCertificateUid { get; init; }
    /// <summary>SHA-256 of the DER of the certificate whose key the peer proved in this IKE SA (RFC 8705 §3.1 x5t#S256), if any: what a bound token must name.</summary>
    public byte[]? ProvenCertificateSha256 { get; init; }
    /// <summary>The ZTNA_TAG notify body (the JWT), if the peer sent one.</summary>
    public ReadOnlyMemory<byte>? ZtnaToken { get; init; }
    /// <summary>Receives the FortiOS-style debug lines as they happen (they are also in the decision).</summary>
    public Action<string>? Debug { get; init; }
    /// <summary>Receives the lines about the tunnel instance rather than the IKE SA (FortiOS: no SA serial); null: <see cref="Debug"/>.</summary>
    public Action<string>? TunnelDebug { get; init; }
}
