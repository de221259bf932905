// config vpn ipsec phase2-interface. Defaults: FortiOS 7.4 CLI reference,
// "config vpn ipsec phase2-interface" (the 7.4 default proposal list — the one the
// seed's "DY" entry spells out — pfs enable, replay enable, keepalive
// disable, auto-negotiate disable, keylifeseconds 43200 in 120-172800,
// src/dst-addr-type subnet, src/dst-subnet 0.0.0.0 0.0.0.0).
using PostureGate.Config.Model;

namespace PostureGate.Config.Schema;

internal static class Phase2Schema
{
    public static readonly TableSchema Table = new("vpn ipsec phase2-interface", isTable: true)
    {
        Note = "Not implemented yet, so refused: `keepalive enable`, `auto-negotiate enable`, and any `dst-…` selector other than the default "
            + "(a dial-up phase2's remote selector is its client's address). `dhgrp` needs `pfs enable`; `src-…` attributes need the matching `src-addr-type`.",
    };
    public static readonly AttributeSchema Phase1Name = Table.String("phase1name", maxLength: 15);
    public static readonly AttributeSchema Proposal = Table.Proposals("proposal", phase1: false,
        "aes128-sha1 aes256-sha1 aes128-sha256 aes256-sha256 aes128gcm aes256gcm chacha20poly1305");
    public static readonly AttributeSchema Pfs = Table.Toggle("pfs", true);
    // dhgrp: the FortiOS 7.4.6 CLI reference ("config vpn ipsec phase2-interface",
    // Parameters, dhgrp: "Phase2 DH group. option - 14"), as for phase 1.
    public static readonly AttributeSchema Dhgrp = Table.DhGroups("dhgrp", "14");
    public static readonly AttributeSchema Replay = Table.Toggle("replay", true);
    public static readonly AttributeSchema Keepalive = Table.Toggle("keepalive", false);
    public static readonly AttributeSchema AutoNegotiate = Table.Toggle("auto-negotiate", false);
    public static readonly AttributeSchema KeylifeSeconds = Table.Integer("keylifeseconds", 120, 172800, 43200);
    public static readonly AttributeSchema SrcAddrType = Table.Enum("src-addr-type", SelectorType.Subnet, "subnet", "range", "ip", "name");
    public static readonly AttributeSchema SrcSubnet = Table.Ipv4Prefix("src-subnet", "0.0.0.0 0.0.0.0");
    public static readonly AttributeSchema SrcStartIp = Table.Ipv4("src-start-ip");
    public static readonly AttributeSchema SrcEndIp = Table.Ipv4("src-end-ip");
    public static readonly AttributeSchema SrcName = Table.String("src-name", maxLength: 79);
    public static readonly AttributeSchema DstAddrType = Table.Enum("dst-addr-type", SelectorType.Subnet, "subnet", "range", "ip", "name");
    public static readonly AttributeSchema DstSubnet = Table.Ipv4Prefix("dst-subnet", "0.0.0.0 0.0.0.0");
    public static readonly AttributeSchema DstStartIp = Table.Ipv4("dst-start-ip");
    public static readonly AttributeSchema DstEndIp = Table.Ipv4("dst-end-ip");
    public static readonly AttributeSchema DstName = Table.String("dst-name", maxLength: 79);
}
