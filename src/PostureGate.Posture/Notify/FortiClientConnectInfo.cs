// What a FortiClient says about itself in FORTICLIENT_CONNECT (see FortiClientConnectBody).
using System.Net;

namespace PostureGate.Posture;

public sealed record FortiClientConnectInfo
{
    /// <summary>32 hex digits, upper-case (the EMS key for the endpoint).</summary>
    public required string Uid { get; init; }
    public string? Version { get; init; }
    public string? FctVersion { get; init; }
    /// <summary>The address configured on the client (not its NAT'd public one).</summary>
    public IPAddress? Ip { get; init; }
    public IReadOnlyList<string> Macs { get; init; } = [];
    public string? Host { get; init; }
    public string? User { get; init; }
    public string? OsVersion { get; init; }
    public int? RegistrationStatus { get; init; }
    public string? EmsSerial { get; init; }
    public string? EmsTenantId { get; init; }
    /// <summary>FCTTAGS=1: the client sends its posture tags as a JWT (ZTNA_TAG).</summary>
    public bool SendsTagToken { get; init; }
}
