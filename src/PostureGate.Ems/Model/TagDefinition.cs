// A ZTNA tag the EMS knows, optionally assigned by rule; names fit after FortiOS's `EMS<n>_ZTNA_` prefix.
namespace PostureGate.Ems.Model;

/// <summary>A tag the EMS knows; with an <see cref="Expression"/> it is also assigned by rule.</summary>
public sealed record TagDefinition(string Name, int Type, string? Expression)
{
    public const int DefaultType = 1;
    public const int MaxType = 65535;
    public const int MaxNameLength = 64;

    /// <summary>Names are what FortiOS puts after `EMS&lt;n&gt;_ZTNA_`: letters, digits, _ . -</summary>
    public static bool IsValidName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength)
            return false;
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
                return false;
        }
        return true;
    }

    public static bool IsValidType(int type) => type is >= 0 and <= MaxType;
}
