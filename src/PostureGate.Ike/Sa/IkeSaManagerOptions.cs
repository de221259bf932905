// Everything an IkeSaManager depends on besides the configuration, the sender and the
// installer; defaults suit tests and the control-plane-only mode.
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PostureGate.Ike.Diagnostics;

namespace PostureGate.Ike.Sa;

public sealed record IkeSaManagerOptions
{
    public TimeProvider Time { get; init; } = TimeProvider.System;
    public IIkeDebugSink Debug { get; init; } = NullIkeDebugSink.Instance;
    public ILogger Logger { get; init; } = NullLogger.Instance;
    public IPostAuthenticationHook PostAuthentication { get; init; } = AllowAllPostAuthenticationHook.Instance;
    public IGatewayMatchHook GatewayMatch { get; init; } = MatchAnyGatewayHook.Instance;
    public RetransmitPolicy Retransmit { get; init; } = RetransmitPolicy.StrongSwan;
    /// <summary>A phase1's interface and its kernel index, as `diagnose vpn ike gateway list` shows it ("port1 9").</summary>
    public Func<string, string>? InterfaceOf { get; init; }
    /// <summary>The NAT-T port (RFC 3948); IKE moves there once a NAT is detected.</summary>
    public int NatTPort { get; init; } = 4500;
    /// <summary>
    /// How long a post-authentication decision may take before the SA is refused: a backstop
    /// above the posture gate's own budget (10 s), well inside a client's retransmission patience
    /// (strongSwan's fourth retransmit is at 24 s), so a client always gets an answer.
    /// </summary>
    public TimeSpan HookTimeout { get; init; } = TimeSpan.FromSeconds(15);
    /// <summary>Rekey jitter as a fraction of the lifetime (strongSwan: rand_time), 0 for deterministic tests.</summary>
    public double RekeyJitter { get; init; } = 0.05;
    /// <summary>Debug names of private-use notify types (FortiClient's FORTICLIENT_CONNECT …); null prints the number.</summary>
    public Func<ushort, string?>? PrivateNotifyNames { get; init; }
    /// <summary>
    /// Each failed authentication of a peer; null logs one warning line per failure instead. The
    /// gateway rate-limits and audits them (a flood of bad logins must not fill the disk).
    /// </summary>
    public Action<IkeAuthFailure>? AuthenticationFailed { get; init; }
    /// <summary>What FortiOS prints about a notify's content as it processes one ("received FCT-UID : …"); null prints nothing more.</summary>
    public Func<ushort, byte[], IEnumerable<string>>? DescribeNotify { get; init; }
    /// <summary>Notifies that belong to the tunnel instance (FortiClient's ZTNA_TAG), logged once the instance is named.</summary>
    public Func<ushort, bool>? TunnelNotify { get; init; }
    /// <summary>
    /// Called with (SPIi, SPIr, keys) each time an IKE SA is established or rekeyed, for a
    /// Wireshark key table (`--wireshark-keys`); null (the default) never exposes a key. The keys
    /// are only valid during the call.
    /// </summary>
    public Action<ulong, ulong, Crypto.IkeSaKeys>? KeyLog { get; init; }

    /// <summary>
    /// Half-open IKE SAs one source address may hold; its further IKE_SA_INIT requests are dropped
    /// until one completes or times out. Above a NAT a whole office shares an address, so this is
    /// well above what one client needs (strongSwan's load tests set up 16 at a time).
    /// </summary>
    public int HalfOpenPerSource { get; init; } = 64;

    /// <summary>
    /// Half-open IKE SAs the whole gateway may hold (strongSwan's <c>init_limit_half_open</c>); further
    /// new IKE_SA_INIT requests are dropped until one completes or times out, retransmissions of pending
    /// ones are still answered. The per-source limit does not bound memory against an initiator with
    /// many addresses that see their cookies (an IPv6 /64 is 2^64 of them); this does: at the ~11 KB a
    /// half-open SA holds, 10,000 is ~110 MB at most. It is above the cookie threshold (1,000) and a
    /// login storm's concurrency (10,000 logins a minute, each half-open for seconds), so it costs
    /// legitimate logins only once the flood has filled it; then they get through by retransmitting
    /// as the flood's SAs time out.
    /// </summary>
    public int HalfOpenLimit { get; init; } = 10_000;

    /// <summary>EAP password-guessing backoff per user and per source (<see cref="Eap.LoginThrottle"/>); null: none.</summary>
    public Eap.LoginThrottleOptions? LoginThrottle { get; init; } = new();
    /// <summary>Random source for nonces and SPIs (tests may pin it).</summary>
    public Func<int, byte[]> Random { get; init; } = System.Security.Cryptography.RandomNumberGenerator.GetBytes;
}
