// Console roles: read-only sees everything, read-write may also change (FortiOS accprofile read / read-write).
namespace PostureGate.Web.Accounts;

public enum AdminRole
{
    ReadOnly,
    ReadWrite,
}

public static class AdminRoles
{
    /// <summary>The role claim values and the words the CLI and the database use.</summary>
    public const string ReadOnlyText = "read-only";
    public const string ReadWriteText = "read-write";

    public static string ToText(this AdminRole role) => role == AdminRole.ReadWrite ? ReadWriteText : ReadOnlyText;

    public static bool TryParse(string? text, out AdminRole role)
    {
        switch (text)
        {
            case ReadOnlyText:
                role = AdminRole.ReadOnly;
                return true;
            case ReadWriteText:
                role = AdminRole.ReadWrite;
                return true;
            default:
                role = default;
                return false;
        }
    }
}
