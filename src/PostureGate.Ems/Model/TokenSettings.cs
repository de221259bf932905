// FortiClient EMS ZTNA token settings ("Enable ZTNA Token", "ZTNA Token Timeout") and refresh interval, with their limits.
namespace PostureGate.Ems.Model;

/// <summary>EMS Settings "Enable ZTNA Token", "ZTNA Token Timeout" and the refresh interval.</summary>
public sealed record TokenSettings(bool Enabled, int LifetimeSeconds, int RefreshSeconds)
{
    // The seed's token has exp - iat = 3600.
    public static readonly TokenSettings Default = new(false, 3600, 900);

    public const int MinSeconds = 60;
    public const int MaxSeconds = 30 * 86400;

    /// <summary>Null when valid, otherwise why not.</summary>
    public string? Validate()
    {
        if (LifetimeSeconds is < MinSeconds or > MaxSeconds)
            return $"lifetime must be between {MinSeconds} and {MaxSeconds} seconds";
        if (RefreshSeconds is < MinSeconds or > MaxSeconds)
            return $"refresh must be between {MinSeconds} and {MaxSeconds} seconds";
        if (RefreshSeconds >= LifetimeSeconds)
            return "refresh must be shorter than lifetime, or tokens expire before they are renewed";
        return null;
    }
}
