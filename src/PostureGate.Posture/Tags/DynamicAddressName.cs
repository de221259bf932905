// FortiOS names the dynamic address of EMS connector n's tag T "EMS<n>_ZTNA_<T>" (seed:
// "CMDB name: EMS1_ZTNA_all_registered_clients / TAG name: all_registered_clients"). The debug
// line "EMS ZTNA tags check success ZTNA_all_registered_clients" prints it without "EMS<n>_".
using System.Globalization;

namespace PostureGate.Posture;

public readonly record struct DynamicAddressName(int ConnectorId, string Tag)
{
    private const string Infix = "_ZTNA_";

    public string CmdbName => string.Create(CultureInfo.InvariantCulture, $"EMS{ConnectorId}{Infix}{Tag}");

    /// <summary>"ZTNA_&lt;tag&gt;", as the check-success debug lines print it.</summary>
    public string ShortName => "ZTNA_" + Tag;

    public override string ToString() => CmdbName;

    public static bool TryParse(string? name, out DynamicAddressName result)
    {
        result = default;
        if (name is null || !name.StartsWith("EMS", StringComparison.Ordinal))
            return false;
        var infix = name.IndexOf(Infix, 3, StringComparison.Ordinal);
        if (infix <= 3 || infix + Infix.Length >= name.Length)
            return false;
        var digits = name.AsSpan(3, infix - 3);
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
                return false;
        }
        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
            return false;
        result = new DynamicAddressName(id, name[(infix + Infix.Length)..]);
        return true;
    }
}
