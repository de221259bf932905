// One `config endpoint-control fctems` entry: the EMS this connector follows.
namespace PostureGate.Posture;

public sealed record EmsConnectorSettings
{
    /// <summary>The fctems entry id n: tags become `EMS&lt;n&gt;_ZTNA_&lt;tag&gt;`.</summary>
    public required int Id { get; init; }
    public required string Name { get; init; }
    public required string Server { get; init; }
    public int Port { get; init; } = 443;
    /// <summary>The EMS serial (FCTEMS…); `ems-sn-check` compares the client's EMSSN with it.</summary>
    public string? SerialNumber { get; init; }
    public string? TenantId { get; init; }
    /// <summary>SHA-256 of the EMS certificate (hex, ':' optional): the only TLS trust there is.</summary>
    public required string CertificateFingerprint { get; init; }
    /// <summary>Secret; never printed (see <see cref="ToString"/>).</summary>
    public required string ApiKey { get; init; }
    /// <summary>Bounds every query to the EMS; past it the EMS is unreachable for that query.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>How long synchronised tags stay valid after the EMS is lost.</summary>
    public TimeSpan OutOfSyncThreshold { get; init; } = TimeSpan.FromSeconds(180);
    public bool PullTags { get; init; } = true;
    /// <summary>The full snapshot of a large EMS (1M endpoints is hundreds of MB) may take longer
    /// than call-timeout; its first byte must still come within call-timeout.</summary>
    public TimeSpan SnapshotTimeout { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>The largest snapshot body read (1M endpoints is a few hundred MB): a larger answer —
    /// a broken or hostile EMS — is refused as unreachable instead of filling the gateway's memory.</summary>
    public long MaxSnapshotBytes { get; init; } = DefaultMaxSnapshotBytes;

    public const long DefaultMaxSnapshotBytes = 256L * 1024 * 1024;
    public TimeSpan ReconnectDelayMin { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan ReconnectDelayMax { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>A push stream silent this long is dead (the EMS sends a keep-alive every 15 s).</summary>
    public TimeSpan StreamIdleTimeout { get; init; } = TimeSpan.FromSeconds(45);

    public Uri BaseUri => new UriBuilder(Uri.UriSchemeHttps, Server, Port).Uri;

    public override string ToString() =>
        $"fctems {Id} \"{Name}\" server={Server}:{Port} serial-number={SerialNumber} tenant-id={TenantId} certificate-fingerprint={CertificateFingerprint} call-timeout={CallTimeout.TotalSeconds}s out-of-sync-threshold={OutOfSyncThreshold.TotalSeconds}s pull-tags={(PullTags ? "enable" : "disable")}";
}
