// Values FortiOS accepts that PostureGate does not implement are errors, never
// accepted and then ignored (issue 13: `set authmethod signature` passed the check
// and the PSK was used anyway). Each message names the value, says it is not
// implemented yet, and what works instead. An attribute FortiOS uses only with
// another setting (`remote-gw-subnet` with `remote-gw-match ipmask`) is an error
// without that setting, for the same reason: it would be silently ignored.
using PostureGate.Admission;
using PostureGate.Config.Binding;
using PostureGate.Config.Model;
using PostureGate.Config.Printing;
using PostureGate.Config.Schema;
using PostureGate.Liveness;
using P1 = PostureGate.Config.Schema.Phase1Schema;
using P2 = PostureGate.Config.Schema.Phase2Schema;

namespace PostureGate.Config.Building;

internal sealed partial class ModelBuilder
{
    private void CheckPhase1Implemented(BoundEntry e, ref bool ok)
    {
        if (Enum<Phase1Type>(e, P1.Type) != Phase1Type.Dynamic)
            NotImplemented(e, P1.Type, "PostureGate runs dial-up gateways: set type dynamic", ref ok);
        if (Int(e, P1.IkeVersion) != 2)
            NotImplemented(e, P1.IkeVersion, "PostureGate speaks IKEv2: set ike-version 2", ref ok);
        // peertype peer (FortiOS's default) names a certificate peer, so with a PSK or EAP alone
        // it accepts any peer ID, as PostureGate does; peergrp and dialup need what is not
        // implemented. Certificate peers are checked in ModelBuilder.Phase1Certificates.
        switch (Enum<PeerType>(e, P1.PeerType))
        {
            case PeerType.Dialup or PeerType.PeerGrp:
                NotImplemented(e, P1.PeerType, "peer groups are to come: use peertype peer with peer, any, or one with peerid", ref ok);
                break;
            case PeerType.One when !e.IsSet(P1.PeerId):
                Require(e, P1.PeerId, " with 'peertype one'", ref ok);
                break;
            case PeerType.Any or PeerType.Peer:
                OnlyWith(e, P1.PeerId, false, "'peertype one'", ref ok);
                break;
        }
        if (Bool(e, P1.NetDevice))
            NotImplemented(e, P1.NetDevice, "each dial-up phase1 is one interface here: set net-device disable", ref ok);
        if (Enum<NatTraversal>(e, P1.NatTraversal) == NatTraversal.Forced)
            NotImplemented(e, P1.NatTraversal, "NAT-T starts when a NAT is detected: set nattraversal enable", ref ok);
        if (Bool(e, P1.SavePassword))
            _d.Warning(e.SpanOfValue(P1.SavePassword), "'save-password enable' has no effect in PostureGate: no client it serves is told it may keep the password");

        var eap = Bool(e, P1.Eap);
        // EAP-TLS authenticates a device certificate, not a user's password: no group to look users up in.
        var eapPassword = eap && Enum<EapMethod>(e, P1.EapMethod) == EapMethod.MsChapV2;
        if (eapPassword && !e.IsSet(P1.AuthUsrGrp))
            Require(e, P1.AuthUsrGrp, " with 'eap enable' (EAP users come from that group; FortiOS's groups from firewall policies are not implemented yet)", ref ok);
        OnlyWith(e, P1.AuthUsrGrp, eap, "'eap enable'", ref ok);
        if (eap && !eapPassword && e.IsSet(P1.AuthUsrGrp))
            Fail(e.SpanOf(P1.AuthUsrGrp), "'authusrgrp' has no effect with 'eap-method tls': the device certificate is the credential, no user password is asked; remove it", ref ok);
        OnlyWith(e, P1.EapIdentity, eap, "'eap enable'", ref ok);

        var modeCfg = Bool(e, P1.ModeCfg);
        var from = Enum<AssignIpFrom>(e, P1.AssignIpFrom);
        if (modeCfg && from is AssignIpFrom.UsrGrp or AssignIpFrom.Dhcp)
            NotImplemented(e, P1.AssignIpFrom, "use assign-ip-from range or name", ref ok);
        foreach (var a in (ReadOnlySpan<AttributeSchema>)[P1.AssignIpFrom, P1.Ipv4Netmask, P1.DnsMode, P1.Ipv4SplitInclude])
            OnlyWith(e, a, modeCfg, "'mode-cfg enable'", ref ok);
        foreach (var a in (ReadOnlySpan<AttributeSchema>)[P1.Ipv4StartIp, P1.Ipv4EndIp])
            OnlyWith(e, a, modeCfg && from == AssignIpFrom.Range, "'mode-cfg enable' and 'assign-ip-from range'", ref ok);
        OnlyWith(e, P1.Ipv4Name, modeCfg && from == AssignIpFrom.Name, "'mode-cfg enable' and 'assign-ip-from name'", ref ok);
        foreach (var a in (ReadOnlySpan<AttributeSchema>)[P1.Ipv4DnsServer1, P1.Ipv4DnsServer2, P1.Ipv4DnsServer3])
            OnlyWith(e, a, modeCfg && Enum<DnsMode>(e, P1.DnsMode) == DnsMode.Manual, "'mode-cfg enable' and 'dns-mode manual'", ref ok);

        var match = Enum<RemoteGwMatchMode>(e, P1.RemoteGwMatch);
        OnlyWith(e, P1.RemoteGwSubnet, match == RemoteGwMatchMode.IpMask, "'remote-gw-match ipmask'", ref ok);
        OnlyWith(e, P1.RemoteGwStartIp, match == RemoteGwMatchMode.IpRange, "'remote-gw-match iprange'", ref ok);
        OnlyWith(e, P1.RemoteGwEndIp, match == RemoteGwMatchMode.IpRange, "'remote-gw-match iprange'", ref ok);
        OnlyWith(e, P1.RemoteGwCountry, match == RemoteGwMatchMode.Geography, "'remote-gw-match geography'", ref ok);
        // The EMS serial is checked after authentication, with the ZTNA tags; other matches never reach it.
        if (Bool(e, P1.EmsSnCheck) && match != RemoteGwMatchMode.Ztna)
            Fail(e.SpanOfValue(P1.EmsSnCheck), "'ems-sn-check enable' without 'remote-gw-match ztna' is not implemented yet; PostureGate checks the EMS serial with the ZTNA tags", ref ok);

        var dpd = Enum<DpdMode>(e, P1.Dpd) != DpdMode.Disable;
        OnlyWith(e, P1.DpdRetryCount, dpd, "'dpd on-idle' or 'dpd on-demand'", ref ok);
        OnlyWith(e, P1.DpdRetryInterval, dpd, "'dpd on-idle' or 'dpd on-demand'", ref ok);
        OnlyWith(e, P1.FragmentationMtu, Bool(e, P1.Fragmentation), "'fragmentation enable'", ref ok);
    }

    /// <summary>The interface a phase1 listens on: one PostureGate would use whatever FortiOS says of it.</summary>
    private void CheckListeningInterface(BoundEntry phase1, SystemInterface intf, ref bool ok)
    {
        if (intf.Status == InterfaceStatus.Down)
            Fail(phase1.SpanOfValue(P1.Interface), $"interface '{intf.Name}' is 'status down', which is not implemented yet (PostureGate would listen on it anyway): set it up, or move the phase1", ref ok);
    }

    private void CheckInterfaceImplemented(BoundEntry e, ref bool ok)
    {
        if (Str(e, SystemInterfaceSchema.Vdom) != "root")
            NotImplemented(e, SystemInterfaceSchema.Vdom, "PostureGate has one VDOM: set vdom \"root\"", ref ok);
        if (e.IsSet(SystemInterfaceSchema.Mtu) && Int(e, SystemInterfaceSchema.Mtu) != 1500)
            NotImplemented(e, SystemInterfaceSchema.Mtu, "PostureGate uses the Linux interface's MTU as it is: unset mtu", ref ok);
    }

    private void CheckPhase2Implemented(BoundEntry e, ref bool ok)
    {
        if (Bool(e, P2.Keepalive))
            NotImplemented(e, P2.Keepalive, "a dial-up phase2 lives while its client keeps it: set keepalive disable", ref ok);
        if (Bool(e, P2.AutoNegotiate))
            NotImplemented(e, P2.AutoNegotiate, "a dial-up gateway does not initiate: set auto-negotiate disable", ref ok);
        OnlyWith(e, P2.Dhgrp, Bool(e, P2.Pfs), "'pfs enable'", ref ok);
        // The remote selector of a dial-up tunnel is the client's leased address, whatever dst-* says.
        foreach (var a in (ReadOnlySpan<AttributeSchema>)[P2.DstAddrType, P2.DstSubnet, P2.DstStartIp, P2.DstEndIp, P2.DstName])
        {
            if (e.IsSet(a) && !Equals(e.Get(a), a.Default))
                NotImplemented(e, a, "the remote selector of a dial-up phase2 is its client's address: unset it", ref ok);
        }
        var src = Enum<SelectorType>(e, P2.SrcAddrType);
        OnlyWith(e, P2.SrcSubnet, src == SelectorType.Subnet, "'src-addr-type subnet'", ref ok);
        OnlyWith(e, P2.SrcStartIp, src is SelectorType.Range or SelectorType.Ip, "'src-addr-type range' or 'ip'", ref ok);
        OnlyWith(e, P2.SrcEndIp, src == SelectorType.Range, "'src-addr-type range'", ref ok);
        OnlyWith(e, P2.SrcName, src == SelectorType.Name, "'src-addr-type name'", ref ok);
    }

    private void CheckUserImplemented(BoundEntry e, ref bool ok)
    {
        if (Enum<LocalUserType>(e, UserLocalSchema.Type) != LocalUserType.Password)
            NotImplemented(e, UserLocalSchema.Type, "remote authentication servers are to come: use type password", ref ok);
    }

    private void CheckAddressImplemented(BoundEntry e, AddressType type, ref bool ok)
    {
        switch (type)
        {
            case AddressType.Geography:
                NotImplemented(e, FirewallAddressSchema.Type, "addresses by country are to come (phase1 remote-gw-match geography works)", ref ok);
                break;
            case AddressType.Dynamic:
                if (Enum<AddressSubType>(e, FirewallAddressSchema.SubType) != AddressSubType.EmsTag)
                    NotImplemented(e, FirewallAddressSchema.SubType, "dynamic addresses are EMS tags here: set sub-type ems-tag", ref ok);
                else if (!ZtnaTagName.TryParse(e.Name!, out _, out var tag))
                    Fail(e.Span, $"dynamic address '{e.Name}' must be named EMS<n>_ZTNA_<tag>, as FortiOS names the tags EMS connector n synchronises; another name would match nothing", ref ok);
                else if (Str(e, FirewallAddressSchema.ObjTag) is { } objTag && objTag != tag)
                    Fail(e.SpanOfValue(FirewallAddressSchema.ObjTag), $"'obj-tag' \"{objTag}\" is not the tag the name '{e.Name}' stands for (\"{tag}\")", ref ok);
                break;
        }
        OnlyWith(e, FirewallAddressSchema.SubType, type == AddressType.Dynamic, "'type dynamic'", ref ok);
        OnlyWith(e, FirewallAddressSchema.ObjTag, type == AddressType.Dynamic, "'type dynamic'", ref ok);
        OnlyWith(e, FirewallAddressSchema.Subnet, type == AddressType.IpMask, "'type ipmask'", ref ok);
        OnlyWith(e, FirewallAddressSchema.StartIp, type == AddressType.IpRange, "'type iprange'", ref ok);
        OnlyWith(e, FirewallAddressSchema.EndIp, type == AddressType.IpRange, "'type iprange'", ref ok);
        OnlyWith(e, FirewallAddressSchema.Country, type == AddressType.Geography, "'type geography'", ref ok);
    }

    private void CheckPolicyImplemented(BoundEntry e, ref bool ok)
    {
        var action = Enum<PolicyAction>(e, FirewallPolicySchema.Action);
        if (action == PolicyAction.Ipsec)
            NotImplemented(e, FirewallPolicySchema.Action, "policy-based tunnels are not PostureGate's: set action accept with the phase1 as srcintf", ref ok);
        OnlyWith(e, FirewallPolicySchema.Nat, action == PolicyAction.Accept, "'action accept'", ref ok);
    }

    /// <summary>"'type static' (the default) is not implemented yet; …", at the value, or at the entry for a default.</summary>
    private void NotImplemented(BoundEntry e, AttributeSchema a, string instead, ref bool ok)
    {
        var value = ConfigPrinter.Format(a, e.Get(a)!, showSecrets: false);
        var what = e.IsSet(a) ? $"'{a.Name} {value}'" : $"{Describe(e)}: '{a.Name} {value}' (the default)";
        Fail(e.SpanOfValue(a), $"{what} is not implemented yet; {instead}", ref ok);
    }

    /// <summary>
    /// An attribute set where it would have no effect is an error, not a silent no-op; set to its
    /// default it is as if unset (what `config show --with-defaults` prints must load again).
    /// </summary>
    private void OnlyWith(BoundEntry e, AttributeSchema a, bool condition, string requirement, ref bool ok)
    {
        if (e.IsSet(a) && !condition && !Equals(e.Get(a), a.Default))
            Fail(e.SpanOf(a), $"'{a.Name}' has no effect without {requirement}; remove it or set {requirement}", ref ok);
    }
}
