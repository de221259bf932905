// config user local / user group. Defaults: FortiOS 7.4 CLI reference
// ("config user local": type password, status enable).
using PostureGate.Config.Model;

namespace PostureGate.Config.Schema;

internal static class UserLocalSchema
{
    public static readonly TableSchema Table = new("user local", isTable: true, maxNameLength: 64)
    {
        Note = "Only `type password` is implemented; `radius`, `tacacs+` and `ldap` are refused.",
    };
    public static readonly AttributeSchema Status = Table.Toggle("status", true);
    public static readonly AttributeSchema Type = Table.Enum("type", LocalUserType.Password, "password", "radius", "tacacs+", "ldap");
    public static readonly AttributeSchema Passwd = Table.Secret("passwd");
    public static readonly AttributeSchema Email = Table.String("email-to");
}

internal static class UserGroupSchema
{
    public static readonly TableSchema Table = new("user group", isTable: true);
    public static readonly AttributeSchema Member = Table.Strings("member");
}
