// How to run PostureGate's EMS (`pgate ems`, or embedded in `pgate up`): data directory, listen address, lifetimes.
using Microsoft.Extensions.Logging;

namespace PostureGate.Ems;

/// <summary>How to run an EMS (`pgate ems`, or embedded in `pgate up`).</summary>
public sealed class EmsOptions
{
    public const string DefaultDataDirectory = "./.posturegate/ems";
    public const string DefaultListen = "https://127.0.0.1:8013";

    /// <summary>Holds ems.db, keys/, server.pfx, endpoint-ca.key/.crt; created owner-only when missing.</summary>
    public string DataDirectory { get; set; } = DefaultDataDirectory;

    /// <summary>A PostgreSQL database (Npgsql connection string) shared by several EMS nodes instead of
    /// ems.db in the data directory; null: SQLite. Keys and certificates stay in the data directory.</summary>
    public string? Database { get; set; }

    /// <summary>With <see cref="Database"/>: the node key file (64 hex digits) sealing the keys the nodes
    /// share; null: cluster.key in the data directory, made by the first node.</summary>
    public string? KeyFile { get; set; }

    /// <summary>The serial a new data directory gets (FCTEMS + 10 digits); null: a random one. An existing directory keeps its own.</summary>
    public string? SerialNumber { get; set; }

    /// <summary>https://ADDRESS:PORT; ADDRESS an IP literal, `localhost` or `*`; port 0 picks a free one.</summary>
    public string Listen { get; set; } = DefaultListen;

    /// <summary>Extra DNS names or addresses for the certificate made on first start.</summary>
    public IReadOnlyList<string> CertificateNames { get; set; } = [];

    /// <summary>An endpoint not seen for this long is reported offline.</summary>
    public TimeSpan OnlineWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often change streams look for changes committed by another process (the CLI).</summary>
    public TimeSpan ChangePollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long an endpoint certificate issued at enrollment or renewal is valid; clients
    /// renew when two thirds of it have passed.</summary>
    public TimeSpan EndpointCertificateLifetime { get; set; } = DefaultEndpointCertificateLifetime;

    public static readonly TimeSpan DefaultEndpointCertificateLifetime = TimeSpan.FromDays(90);

    /// <summary>How long before its issue an endpoint certificate is valid (`--endpoint-cert-backdate`);
    /// null: a day, or half the lifetime when that is shorter. At most 7 days and half the lifetime,
    /// so renewal (after two thirds of the validity) still comes well after issue.</summary>
    public TimeSpan? EndpointCertificateBackdate { get; set; }

    public static readonly TimeSpan DefaultEndpointCertificateBackdate = TimeSpan.FromDays(1);
    public static readonly TimeSpan MaxEndpointCertificateBackdate = TimeSpan.FromDays(7);

    /// <summary>The backdate in effect: the one given, or the default bounded by half the lifetime.</summary>
    public TimeSpan EffectiveEndpointCertificateBackdate => EndpointCertificateBackdate
        ?? TimeSpan.FromTicks(Math.Min(DefaultEndpointCertificateBackdate.Ticks, EndpointCertificateLifetime.Ticks / 2));

    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>Requests one client IP address may make at once (a token bucket's size); 429 beyond.</summary>
    public int RequestBurst { get; set; } = 1000;

    /// <summary>One more request per this interval, per client IP address (200 a second).</summary>
    public TimeSpan RequestRefill { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Enrollment requests (`POST /api/v1/enroll`) one client IP address may make at once.</summary>
    public int EnrollmentBurst { get; set; } = 100;

    /// <summary>One more enrollment request per this interval, per client IP address.</summary>
    public TimeSpan EnrollmentRefill { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>`--metrics`: serve Prometheus metrics at /metrics on the EMS's HTTPS listener (no API key; off by default).</summary>
    public bool Metrics { get; set; }

    /// <summary>`--log-format json`: the console logger writes one JSON object per line (docs/observability.md).</summary>
    public bool JsonLogs { get; set; }

    /// <summary>The web console at /console on the EMS's HTTPS listener (on by default, as FortiClient
    /// EMS has its GUI; `--no-console` turns it off). The first start makes the admin account
    /// "admin" and writes its password to console-admin.txt in the data directory.</summary>
    public bool Console { get; set; } = true;

    /// <summary>Failed console sign-ins that lock one admin name for 15 minutes.</summary>
    public int ConsoleLockoutThreshold { get; set; } = 5;

    /// <summary>Logging setup; by default only warnings and errors go to the console.</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; set; }
}
