// FortiOS EMS tag address names, `EMS<n>_ZTNA_<tag>` and `EMS<n>_CLASS_<tag>` (seed document; FortiOS 7.4): parse and format.
using System.Globalization;

namespace PostureGate.Config.Building;

/// <summary>
/// The FortiOS name of an EMS-synchronised ZTNA tag: <c>EMS&lt;n&gt;_ZTNA_&lt;tag&gt;</c>
/// (seed: "EMS1_ZTNA_all_registered_clients" is tag "all_registered_clients" of EMS 1), or of a
/// classification tag: <c>EMS&lt;n&gt;_CLASS_&lt;tag&gt;</c> (FortiOS 7.4: "EMS2_CLASS_Classification_001").
/// </summary>
public static class ZtnaTagName
{
    public static bool TryParse(string name, out int emsId, out string tag)
    {
        emsId = 0;
        tag = "";
        if (!name.StartsWith("EMS", StringComparison.Ordinal))
            return false;
        var end = 3;
        while (end < name.Length && char.IsAsciiDigit(name[end]))
            end++;
        var infix = name.AsSpan(end).StartsWith("_ZTNA_", StringComparison.Ordinal) ? 6
            : name.AsSpan(end).StartsWith("_CLASS_", StringComparison.Ordinal) ? 7 : 0;
        if (end == 3 || infix == 0 || end + infix >= name.Length)
            return false;
        if (!int.TryParse(name.AsSpan(3, end - 3), NumberStyles.None, CultureInfo.InvariantCulture, out emsId) || emsId < 1)
            return false;
        tag = name[(end + infix)..];
        return true;
    }

    public static string Format(int emsId, string tag) => string.Create(CultureInfo.InvariantCulture, $"EMS{emsId}_ZTNA_{tag}");
}
