// The exit codes of `pgate client connect` (listed in its --help and docs/operations.md):
// one per thing the user has to check, so a script or a service manager can tell them apart.
namespace PostureGate.Client;

public static class ClientExitCodes
{
    /// <summary>Connected, then disconnected on request (Ctrl-C, SIGTERM, or --once done).</summary>
    public const int Ok = 0;

    /// <summary>The gateway refused or never answered: authentication, posture, proposals.</summary>
    public const int ConnectionFailed = 1;

    /// <summary>The command line: an option missing or malformed, a file unreadable.</summary>
    public const int Usage = 2;

    /// <summary>--gateway names a host that does not resolve.</summary>
    public const int GatewayUnresolved = 3;

    /// <summary>The EMS cannot be reached (refused, timed out, name unknown) — with --once; otherwise retried.</summary>
    public const int EmsUnreachable = 4;

    /// <summary>The EMS's certificate is not the one --ems-fingerprint names: never retried.</summary>
    public const int EmsFingerprintMismatch = 5;

    /// <summary>The EMS answered but refused this endpoint (HTTP 4xx): never retried.</summary>
    public const int EmsRefused = 6;

    /// <summary>The gateway refused or deleted the tunnel for the device's posture and said why (POSTURE_REASON, printed).</summary>
    public const int PostureRefused = 7;

    /// <summary>--device-cert, but --device-dir holds no valid certificate for this UID: enroll first (`pgate client enroll`).</summary>
    public const int NoDeviceCertificate = 8;

    /// <summary>--gateway-ca names a file that cannot be read or holds no PEM certificate.</summary>
    public const int GatewayCaUnreadable = 9;

    /// <summary>The gateway's certificate does not chain to --gateway-ca, or does not name the gateway dialled: never retried.</summary>
    public const int GatewayUntrusted = 10;

    public const string HelpText = """
        Exit codes: 0 connected and disconnected on request; 1 the gateway refused or did not answer;
        2 command line (option missing or malformed, file unreadable); 3 --gateway does not resolve;
        4 EMS unreachable (--once; otherwise retried with backoff); 5 the EMS certificate does not
        match --ems-fingerprint; 6 the EMS refused this endpoint; 7 the gateway refused or deleted the tunnel
        for the device's posture (the line before says why: which tunnel wants which tag); 8 --device-cert
        without an enrolled certificate in --device-dir; 9 --gateway-ca unreadable or not a PEM certificate;
        10 the gateway's certificate does not chain to --gateway-ca or does not name the gateway dialled.
        """;
}
