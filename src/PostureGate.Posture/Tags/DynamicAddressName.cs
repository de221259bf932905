// FortiOS names the dynamic address of EMS connector n's tag T "EMS<n>_ZTNA_<T>" (seed:
// "CMDB name: EMS1_ZTNA_all_registered_clients / TAG name: all_registered_clients"), and that of
// an EMS classification tag (the token's tag `type` 3, like the seed's "Low") "EMS<n>_CLASS_<T>"
// (FortiOS 7.4 New Features, "logical AND for tag matching between primary and secondary EMS
// tags": `set ztna-ems-tag-secondary "EMS2_CLASS_Classification_001"`). The debug line "EMS ZTNA
// tags check success ZTNA_all_registered_clients" prints it without "EMS<n>_".
using System.Globalization;

namespace PostureGate.Posture;

/// <summary>The two kinds of EMS tag a FortiGate sees.</summary>
public enum EmsTagKind
{
    /// <summary>A zero trust (security posture) tag: EMS&lt;n&gt;_ZTNA_&lt;tag&gt;.</summary>
    Ztna,
    /// <summary>A classification tag (importance, risk …; token tag type 3): EMS&lt;n&gt;_CLASS_&lt;tag&gt;.</summary>
    Classification,
}

public readonly record struct DynamicAddressName(int ConnectorId, string Tag, EmsTagKind Kind = EmsTagKind.Ztna)
{
    private const string ZtnaInfix = "_ZTNA_";
    private const string ClassInfix = "_CLASS_";

    /// <summary>The `type` of a classification tag in the EMS's JSON and in its tokens (seed: "Low", type 3).</summary>
    public const int ClassificationTagType = 3;

    public string CmdbName => string.Create(CultureInfo.InvariantCulture, $"EMS{ConnectorId}{(Kind == EmsTagKind.Classification ? ClassInfix : ZtnaInfix)}{Tag}");

    /// <summary>"ZTNA_&lt;tag&gt;" (or "CLASS_&lt;tag&gt;"), as the check-success debug lines print it.</summary>
    public string ShortName => (Kind == EmsTagKind.Classification ? "CLASS_" : "ZTNA_") + Tag;

    public override string ToString() => CmdbName;

    public static EmsTagKind KindOfType(int tagType) => tagType == ClassificationTagType ? EmsTagKind.Classification : EmsTagKind.Ztna;

    public static bool TryParse(string? name, out DynamicAddressName result)
    {
        result = default;
        if (name is null || !name.StartsWith("EMS", StringComparison.Ordinal))
            return false;
        var end = 3;
        while (end < name.Length && char.IsAsciiDigit(name[end]))
            end++;
        if (end == 3 || !int.TryParse(name.AsSpan(3, end - 3), NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
            return false;
        var rest = name.AsSpan(end);
        var (infix, kind) = rest.StartsWith(ZtnaInfix, StringComparison.Ordinal) ? (ZtnaInfix, EmsTagKind.Ztna)
            : rest.StartsWith(ClassInfix, StringComparison.Ordinal) ? (ClassInfix, EmsTagKind.Classification)
            : (null, default);
        if (infix is null || rest.Length == infix.Length)
            return false;
        result = new DynamicAddressName(id, name[(end + infix.Length)..], kind);
        return true;
    }
}
