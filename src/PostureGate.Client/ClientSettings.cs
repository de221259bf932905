// What `pgate client connect` was asked to do: gateway, PSK, EAP user, IDi/IDr (RFC 7296 §3.5), EMS enrollment — PostureGate's own.
using System.Net;
using PostureGate.Proposals;

namespace PostureGate.Client;

/// <summary>What `pgate client connect` was asked to do.</summary>
public sealed record ClientSettings
{
    public required IPEndPoint Gateway { get; init; }
    public int NatTPort { get; init; } = 4500;
    public required byte[] Psk { get; init; }
    public required string User { get; init; }
    public string? Password { get; init; }
    /// <summary>IDr to ask for (the gateway's `localid`); null sends none.</summary>
    public string? GatewayId { get; init; }
    /// <summary>
    /// IDi to send (strongSwan's notation: an address, user@domain or a name). Null: ID_IPV4_ADDR of this
    /// client's own address toward the gateway, as FortiClient sends it — the IDi names the device, the EAP
    /// identity the user, so one user's two devices are two identities (RFC 7296 §2.4 INITIAL_CONTACT).
    /// </summary>
    public string? LocalId { get; init; }
    public Uri? Ems { get; init; }
    public string? EmsFingerprint { get; init; }
    /// <summary>The invitation code to enroll with when this device has no valid certificate yet
    /// (`pgate ems invite create`); null enrolls without one (the EMS may keep it pending).</summary>
    public string? InviteCode { get; init; }
    /// <summary>Where the device key and certificate live (<see cref="DeviceCredentials.DefaultDirectory"/> when null).</summary>
    public string? DeviceDirectory { get; init; }
    /// <summary>`--device-cert`: authenticate the device with its enrolled certificate before EAP (RFC 4739 round 1).</summary>
    public bool DeviceCertificate { get; init; }

    /// <summary>`--log-format json`: the session's lines as JSON objects, in the schema of the gateway's and the EMS's (docs/observability.md).</summary>
    public bool JsonLogs { get; init; }
    /// <summary>`--gateway-ca`: the CA the gateway's certificate must chain to (RFC 7296 §2.15); null: the gateway uses the PSK.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? GatewayCa { get; init; }
    /// <summary>The gateway's name as dialled (--gateway's host): its certificate must name it (RFC 4945 §3.1).</summary>
    public string? GatewayName { get; init; }
    /// <summary>A registration kept from an earlier run (FortiClient remembers its EMS serial and tenant):
    /// announced in FORTICLIENT_CONNECT when there is no EMS to enroll with.</summary>
    public EmsRegistration? Registration { get; init; }
    public string? Uid { get; init; }
    public string? FactsFile { get; init; }
    /// <summary>The address this client reports as its own (IP= of FORTICLIENT_CONNECT); default: the source address toward the gateway.</summary>
    public IPAddress? ReportedIp { get; init; }
    public IPAddress LocalAddress { get; init; } = IPAddress.Any;
    /// <summary>The phase1 name on the gateway, for the EMS remote access profile (which tags to send).</summary>
    public string? Tunnel { get; init; }
    /// <summary>Send the ZTNA token even when the EMS has it disabled is impossible; this turns sending it off.</summary>
    public bool SendToken { get; init; } = true;
    /// <summary>A token to send instead of the EMS's (`--ztna-token-file`, demos of a bad token): FCTTAGS=1 and
    /// ZTNA_TAG carry it, never the EMS's; registration and reports still go to the EMS.</summary>
    public string? TokenOverride { get; init; }
    public bool Reconnect { get; init; } = true;
    /// <summary>RFC 7296 §2.4 INITIAL_CONTACT: the gateway drops older SAs of this identity. Off for load tests, whose clients share a user.</summary>
    public bool InitialContact { get; init; } = true;
    /// <summary>FORTICLIENT_CONNECT and ZTNA_TAG in the last IKE_AUTH request (after EAP) instead of the first:
    /// FortiClient does either (the seed's Example 2 shows the last, Example 1 the first).</summary>
    public bool NotifiesInLastAuth { get; init; }
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);
    public string? StatusFile { get; init; }
    /// <summary>Carry traffic through this TUN device (`--tun`); null: control plane only.</summary>
    public string? TunDevice { get; init; }
    /// <summary>The data plane's tuning with <see cref="TunDevice"/> (docs/operations.md).</summary>
    public PostureGate.Esp.DataPlaneTuning DataPlane { get; init; } = new();

    /// <summary>FortiClient's IKE proposals as the seed's phase1 lists them, in that order.</summary>
    public IReadOnlyList<CipherSuite> Proposals { get; init; } =
        [.. new[] { "aes128-sha256", "aes256-sha256", "aes128gcm-prfsha256", "aes256gcm-prfsha384", "chacha20poly1305-prfsha256" }
            .Select(n => FortiOsProposals.TryGetPhase1(n, out var s) ? s : throw new InvalidOperationException(n))];

    public IReadOnlyList<KeyExchangeMethod> DhGroups { get; init; } =
        [KeyExchangeMethod.Ecp384, KeyExchangeMethod.Ecp521, KeyExchangeMethod.Modp2048, KeyExchangeMethod.Ecp256, KeyExchangeMethod.Curve25519];

    public IReadOnlyList<CipherSuite> EspProposals { get; init; } =
        [.. new[] { "aes128gcm", "aes256gcm", "chacha20poly1305", "aes128-sha256", "aes256-sha256", "aes128-sha1", "aes256-sha1" }
            .Select(n => FortiOsProposals.TryGetPhase2(n, out var s) ? s : throw new InvalidOperationException(n))];
}
