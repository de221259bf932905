namespace PostureGate.Interop.Tests.Lab;

/// <summary>Values rendered into the strongSwan client's configs (harness/conf/*.in); null keeps
/// the harness default shown in brackets.</summary>
public sealed record ClientOptions
{
    /// <summary>IDi and EAP identity [alice].</summary>
    public string? EapIdentity { get; init; }

    /// <summary>[alice-lab-password]</summary>
    public string? Password { get; init; }

    /// <summary>The gateway's IDr the client requires [gw.pg.example].</summary>
    public string? GatewayId { get; init; }

    /// <summary>[lab-psk-not-a-secret]</summary>
    public string? Psk { get; init; }

    /// <summary>charon.fragment_size in bytes (whole IP datagram); 0 or null = charon's default.
    /// A charon-wide setting, not a per-connection one.</summary>
    public int? FragmentSize { get; init; }

    /// <summary>charon.retransmit_tries (charon-wide); null = the lab's 3 (a dead peer fails in ~15 s),
    /// 5 = charon's own default, what an untouched client retries through loss.</summary>
    public int? RetransmitTries { get; init; }

    /// <summary>charon.follow_redirects (RFC 5685, charon-wide); null = strongSwan's default, yes. False: no
    /// REDIRECT_SUPPORTED in IKE_SA_INIT.</summary>
    public bool? FollowRedirects { get; init; }

    /// <summary>More swanctl.conf text (connections/secrets sections) loaded with the rest.</summary>
    public string? ExtraSwanctlConf { get; init; }
}
