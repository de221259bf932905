// config system settings / system dns / system interface.
// Defaults: FortiOS 7.4 CLI reference, "config system settings" (ike-port 500,
// ike-natt-port 4500), "config system dns" (primary 96.45.45.45, secondary
// 96.45.46.46, the FortiGuard DNS), "config system interface" (status up, mtu 1500).
using PostureGate.Config.Model;

namespace PostureGate.Config.Schema;

internal static class SystemSettingsSchema
{
    public static readonly TableSchema Table = new("system settings", isTable: false);
    public static readonly AttributeSchema IkePort = Table.Integer("ike-port", 1, 65535, 500);
    public static readonly AttributeSchema IkeNattPort = Table.Integer("ike-natt-port", 1, 65535, 4500);
}

internal static class SystemDnsSchema
{
    public static readonly TableSchema Table = new("system dns", isTable: false);
    public static readonly AttributeSchema Primary = Table.Ipv4("primary", "96.45.45.45");
    public static readonly AttributeSchema Secondary = Table.Ipv4("secondary", "96.45.46.46");
}

internal static class SystemInterfaceSchema
{
    // Interface names are Linux device names here: IFNAMSIZ - 1.
    public static readonly TableSchema Table = new("system interface", isTable: true, maxNameLength: 15);
    public static readonly AttributeSchema Vdom = Table.String("vdom", "root");
    public static readonly AttributeSchema Ip = Table.Ipv4Prefix("ip", "0.0.0.0 0.0.0.0");
    public static readonly AttributeSchema Type = Table.Enum("type", InterfaceType.Physical, "physical", "vlan", "loopback", "aggregate", "tunnel");
    public static readonly AttributeSchema Alias = Table.String("alias", maxLength: 25);
    public static readonly AttributeSchema Description = Table.String("description");
    public static readonly AttributeSchema Status = Table.Enum("status", InterfaceStatus.Up, "up", "down");
    public static readonly AttributeSchema Mtu = Table.Integer("mtu", 68, 9216, 1500);
    public static readonly AttributeSchema Interface = Table.String("interface", maxLength: 15);
    public static readonly AttributeSchema VlanId = Table.Integer("vlanid", 1, 4094);
}
