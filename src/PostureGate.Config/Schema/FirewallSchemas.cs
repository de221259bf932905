// config firewall address / addrgrp / policy.
// Defaults: FortiOS 7.4 CLI reference, "config firewall address" (type ipmask,
// subnet 0.0.0.0 0.0.0.0, sub-type sdn), "config firewall policy" (action deny,
// status enable, nat disable). Policy ids: 0-4294967294 as FortiOS allows.
using PostureGate.Config.Model;

namespace PostureGate.Config.Schema;

internal static class FirewallAddressSchema
{
    public static readonly TableSchema Table = new("firewall address", isTable: true, maxNameLength: 79)
    {
        Note = "Not implemented yet, so refused: `type geography`, and `type dynamic` other than `sub-type ems-tag`. An EMS tag address is named "
            + "`EMS<n>_ZTNA_<tag>`, and its `obj-tag`, when set, is that `<tag>`. `subnet`, `start-ip`/`end-ip`, `country`, `sub-type`/`obj-tag` "
            + "need the matching `type`.",
    };
    public static readonly AttributeSchema Uuid = Table.String("uuid", maxLength: 36);
    public static readonly AttributeSchema Type = Table.Enum("type", AddressType.IpMask, "ipmask", "iprange", "dynamic", "geography");
    public static readonly AttributeSchema SubType = Table.Enum("sub-type", AddressSubType.Sdn, "sdn", "ems-tag");
    public static readonly AttributeSchema Subnet = Table.Ipv4Prefix("subnet", "0.0.0.0 0.0.0.0");
    public static readonly AttributeSchema StartIp = Table.Ipv4("start-ip");
    public static readonly AttributeSchema EndIp = Table.Ipv4("end-ip");
    public static readonly AttributeSchema Country = Table.String("country", maxLength: 2);
    public static readonly AttributeSchema ObjTag = Table.String("obj-tag");
    public static readonly AttributeSchema Comment = Table.String("comment");
}

internal static class FirewallAddrgrpSchema
{
    public static readonly TableSchema Table = new("firewall addrgrp", isTable: true, maxNameLength: 79);
    public static readonly AttributeSchema Uuid = Table.String("uuid", maxLength: 36);
    public static readonly AttributeSchema Member = Table.Strings("member");
    public static readonly AttributeSchema Comment = Table.String("comment");
}

internal static class FirewallPolicySchema
{
    public static readonly TableSchema Table = new("firewall policy", isTable: true, minKey: 0, maxKey: 4294967294)
    {
        Note = "`action ipsec` (policy-based tunnels) is not implemented, so refused: use `action accept` with the phase1 as `srcintf`. `nat` needs `action accept`.",
    };
    public static readonly AttributeSchema Name = Table.String("name");
    public static readonly AttributeSchema Uuid = Table.String("uuid", maxLength: 36);
    public static readonly AttributeSchema SrcIntf = Table.Strings("srcintf");
    public static readonly AttributeSchema DstIntf = Table.Strings("dstintf");
    public static readonly AttributeSchema Action = Table.Enum("action", PolicyAction.Deny, "accept", "deny", "ipsec");
    public static readonly AttributeSchema SrcAddr = Table.Strings("srcaddr");
    public static readonly AttributeSchema DstAddr = Table.Strings("dstaddr");
    public static readonly AttributeSchema Schedule = Table.String("schedule");
    public static readonly AttributeSchema Service = Table.Strings("service");
    public static readonly AttributeSchema Nat = Table.Toggle("nat", false);
    public static readonly AttributeSchema Status = Table.Toggle("status", true);
    public static readonly AttributeSchema Comments = Table.String("comments", maxLength: 1023);
}
