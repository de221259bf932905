// Limits for verifying EMS ZTNA tag tokens (JWT, RFC 7519): size cap, `iat` clock leeway (§4.1.6), tag count — PostureGate's own.
namespace PostureGate.Posture;

public sealed record ZtnaTokenOptions
{
    /// <summary>A token longer than this is refused before any parsing (the seed's is 791 bytes).</summary>
    public int MaxTokenBytes { get; init; } = 8 * 1024;

    /// <summary>How far in the future `iat` may lie (clock drift between EMS and gateway).</summary>
    public TimeSpan IssuedAtLeeway { get; init; } = TimeSpan.FromSeconds(60);

    public int MaxTags { get; init; } = 256;
}
