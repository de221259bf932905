// FortiOS CLI reference, `config endpoint-control fctems`: EMS connector n, the source of tags named `EMS<n>_ZTNA_…`.
namespace PostureGate.Config.Model;

/// <summary><c>config endpoint-control fctems</c> entry n: the EMS behind tags named EMS&lt;n&gt;_ZTNA_….</summary>
public sealed record FctEms : ConfigObject, IKeyed
{
    public required int Id { get; init; }
    public string? Name { get; init; }
    public string? Server { get; init; }
    public required int HttpsPort { get; init; }
    public string? SerialNumber { get; init; }
    public string? TenantId { get; init; }
    public string? CertificateFingerprint { get; init; }
    public Secret? ApiKey { get; init; }
    public required TimeSpan CallTimeout { get; init; }
    /// <summary>How long cached tags stay trusted after the EMS stops answering.</summary>
    public required TimeSpan OutOfSyncThreshold { get; init; }
    public required bool PullTags { get; init; }
    public required bool Enabled { get; init; }

    string IKeyed.Key => Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
