// config system settings / system global / system dns / system interface.
// Defaults: FortiOS 7.4 CLI reference, "config system settings" (ike-port 500,
// ike-natt-port 4500), "config system interface" (status up, mtu 1500).
// "config system dns" has no default here, where FortiOS has FortiGuard's resolvers
// (primary 96.45.45.45, secondary 96.45.46.46): a default that sends users' name
// lookups to a third party is not one a PostureGate admin expects (issue 13).
using PostureGate.Config.Model;

namespace PostureGate.Config.Schema;

internal static class SystemSettingsSchema
{
    public static readonly TableSchema Table = new("system settings", isTable: false);
    public static readonly AttributeSchema IkePort = Table.Integer("ike-port", 1, 65535, 500);
    public static readonly AttributeSchema IkeNattPort = Table.Integer("ike-natt-port", 1, 65535, 4500);
}

internal static class SystemGlobalSchema
{
    // FortiOS 7.4 CLI reference, "config system global": admin-sport is the HTTPS port of the
    // web admin (FortiOS default 443, always on). Here the console is off unless admin-sport is
    // set, so no default; admin-server-cert names the certificate it presents (FortiOS default
    // "Fortinet_Factory"; here a self-signed one made at first start).
    public static readonly TableSchema Table = new("system global", isTable: false)
    {
        Note = "Unlike FortiOS, whose web admin always listens on 443, PostureGate's admin console (and its `/metrics`) is off "
            + "until `admin-sport` is set. It listens on the address of each `system interface` with `set allowaccess https`, "
            + "or, when none has it, on 127.0.0.1 only. Without `admin-server-cert` it presents a self-signed certificate made "
            + "at first start (`admin.pfx` in the data directory; its SHA-256 fingerprint is logged at start).",
    };
    public static readonly AttributeSchema AdminSport = Table.Integer("admin-sport", 1, 65535);
    public static readonly AttributeSchema AdminServerCert = Table.String("admin-server-cert", maxLength: 35);
}

internal static class SystemDnsSchema
{
    public static readonly TableSchema Table = new("system dns", isTable: false)
    {
        Note = "Unlike FortiOS, which defaults to FortiGuard's resolvers (96.45.45.45 and 96.45.46.46), PostureGate has no default: "
            + "without `config system dns`, a phase1 with `dns-mode auto` hands its clients no DNS server. "
            + "Set `primary`/`secondary` here, or `ipv4-dns-server1`–`3` in the phase1 (`dns-mode manual`).",
    };
    public static readonly AttributeSchema Primary = Table.Ipv4("primary");
    public static readonly AttributeSchema Secondary = Table.Ipv4("secondary");
}

internal static class SystemInterfaceSchema
{
    // Interface names are Linux device names here: IFNAMSIZ - 1.
    public static readonly TableSchema Table = new("system interface", isTable: true, maxNameLength: 15)
    {
        Note = "An entry stands for the Linux interface of that name, or the one holding its address. Not implemented yet, so refused: "
            + "a `vdom` other than `root`, an `mtu` other than 1500, and `status down` on an interface a phase1 listens on. "
            + "Of `allowaccess`, only `https` has an effect (the admin console of `system global` `admin-sport`); the other words load with a warning.",
    };
    public static readonly AttributeSchema Vdom = Table.String("vdom", "root");
    public static readonly AttributeSchema Ip = Table.Ipv4Prefix("ip", "0.0.0.0 0.0.0.0");
    public static readonly AttributeSchema Type = Table.Enum("type", InterfaceType.Physical, "physical", "vlan", "loopback", "aggregate", "tunnel");
    public static readonly AttributeSchema Alias = Table.String("alias", maxLength: 25);
    public static readonly AttributeSchema Description = Table.String("description");
    public static readonly AttributeSchema Status = Table.Enum("status", InterfaceStatus.Up, "up", "down");
    public static readonly AttributeSchema Mtu = Table.Integer("mtu", 68, 9216, 1500);
    public static readonly AttributeSchema Interface = Table.String("interface", maxLength: 15);
    public static readonly AttributeSchema VlanId = Table.Integer("vlanid", 1, 4094);
    public static readonly AttributeSchema AllowAccess = Table.OptionWords("allowaccess");
}
