// What `pgate config show` prints: defaults (FortiOS `show full-configuration`), secrets in clear or as `ENC` — PostureGate's own.
namespace PostureGate.Config.Printing;

/// <summary>What `pgate config show` prints.</summary>
public sealed record PrintOptions
{
    /// <summary>Also print attributes left at their FortiOS default.</summary>
    public bool WithDefaults { get; init; }
    /// <summary>Print secrets in clear instead of <c>ENC …</c> (output then re-parses to the same model).</summary>
    public bool ShowSecrets { get; init; }
    /// <summary>
    /// This machine's configuration key: secrets print as <c>ENC &lt;base64&gt;</c> sealed with it, which
    /// `config check` on this machine reads back. Without it they print as <c>ENC ****</c>.
    /// </summary>
    public Secrets.ConfigKey? Key { get; init; }
    /// <summary>Only this configuration path (e.g. "vpn ipsec phase1-interface"); null for all.</summary>
    public string? Path { get; init; }
    /// <summary>Only this entry of <see cref="Path"/>.</summary>
    public string? Entry { get; init; }
}
