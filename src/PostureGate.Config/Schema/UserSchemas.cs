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

/// <summary>
/// config user peer: who may authenticate with a certificate. FortiOS 7.4 CLI reference
/// "config user peer": name up to 35, ca (a vpn certificate ca name), subject and cn up to
/// 255, cn-type string|email|FQDN|ipv4|ipv6 (default string), mandatory-ca-verify (default enable).
/// </summary>
internal static class UserPeerSchema
{
    public static readonly TableSchema Table = new("user peer", isTable: true, maxNameLength: 35)
    {
        Note = "`ca` is required: a peer certificate must chain to that CA (`mandatory-ca-verify disable`, which trusts a certificate "
            + "without its CA, is not implemented). `subject` is a distinguished name the certificate's subject must equal; `cn` "
            + "the common name it must carry, checked as `cn-type` says.",
    };
    public static readonly AttributeSchema MandatoryCaVerify = Table.Toggle("mandatory-ca-verify", true);
    public static readonly AttributeSchema Ca = Table.String("ca", maxLength: 127);
    public static readonly AttributeSchema Subject = Table.String("subject");
    public static readonly AttributeSchema Cn = Table.String("cn");
    public static readonly AttributeSchema CnType = Table.Enum("cn-type", PeerCnType.String, "string", "email", "FQDN", "ipv4", "ipv6");
}
