using System.Globalization;

namespace PostureGate.Config.Building;

/// <summary>
/// The FortiOS name of an EMS-synchronised ZTNA tag: <c>EMS&lt;n&gt;_ZTNA_&lt;tag&gt;</c>
/// (seed: "EMS1_ZTNA_all_registered_clients" is tag "all_registered_clients" of EMS 1).
/// </summary>
public static class ZtnaTagName
{
    public static bool TryParse(string name, out int emsId, out string tag)
    {
        emsId = 0;
        tag = "";
        if (!name.StartsWith("EMS", StringComparison.Ordinal))
            return false;
        var sep = name.IndexOf("_ZTNA_", 3, StringComparison.Ordinal);
        if (sep <= 3 || sep + 6 >= name.Length)
            return false;
        if (!int.TryParse(name.AsSpan(3, sep - 3), NumberStyles.None, CultureInfo.InvariantCulture, out emsId) || emsId < 1)
            return false;
        tag = name[(sep + 6)..];
        return true;
    }

    public static string Format(int emsId, string tag) => string.Create(CultureInfo.InvariantCulture, $"EMS{emsId}_ZTNA_{tag}");
}
