// Phase 1 rules. The remote-gw-match and ZTNA tag rules follow the seed document
// (FortiOS "Enforcing security posture verification before dial-up VPN
// connection"): "When set remote-gw-match ztna is enabled, remote-gw-ztna-tags
// can be configured", for IKEv2 only; tags are named EMS<n>_ZTNA_<tag> after the
// EMS connector n that supplies them.
using System.Net;
using PostureGate.Admission;
using PostureGate.Config.Binding;
using PostureGate.Config.Model;
using PostureGate.Config.Schema;
using PostureGate.Proposals;
using PostureGate.Liveness;
using S = PostureGate.Config.Schema.Phase1Schema;

namespace PostureGate.Config.Building;

internal sealed partial class ModelBuilder
{
    private OrderedMap<Phase1Interface> _phase1 = new();

    private Phase1Interface? BuildPhase1(BoundEntry e)
    {
        var ok = true;
        if (_interfaces.TryGet(e.Name!, out _))
        {
            ok = false;
            _d.Error(e.Span, $"'{e.Name}' is already a system interface; a phase1-interface is an interface too and needs its own name");
        }
        CheckPhase1Implemented(e, ref ok);
        Require(e, S.Interface, "", ref ok);
        var intf = Str(e, S.Interface) is { } iname
            ? Resolve(_interfaces, SystemInterfaceSchema.Table, iname, e.SpanOfValue(S.Interface), "interface", ref ok)
            : null;
        if (intf is not null)
            CheckListeningInterface(e, intf, ref ok);

        var type = Enum<Phase1Type>(e, S.Type);
        var ikeVersion = Int(e, S.IkeVersion);
        var authMethod = Enum<Phase1AuthMethod>(e, S.AuthMethod);
        if (authMethod == Phase1AuthMethod.Psk)
            Require(e, S.PskSecret, " with 'authmethod psk'", ref ok);
        OnlyWith(e, S.PskSecret, authMethod == Phase1AuthMethod.Psk, "'authmethod psk'", ref ok);
        var certificates = BuildPhase1Certificates(e, authMethod, ref ok);
        var peer = BuildPhase1Peer(e, authMethod, ref ok);
        if (Bool(e, S.Eap) && ikeVersion != 2)
            Fail(e.SpanOfValue(S.Eap), "'eap enable' needs 'ike-version 2'", ref ok);

        var group = Str(e, S.AuthUsrGrp) is { } gname
            ? Resolve(_groups, UserGroupSchema.Table, gname, e.SpanOfValue(S.AuthUsrGrp), "user group", ref ok)
            : null;
        var pool = Str(e, S.Ipv4Name) is { } pname ? ResolvePoolAddress(pname, e.SpanOfValue(S.Ipv4Name), ref ok) : null;
        var split = Str(e, S.Ipv4SplitInclude) is { } sname ? ResolveAddressObject(sname, e.SpanOfValue(S.Ipv4SplitInclude), ref ok) : null;

        if (e.IsSet(S.Ipv4StartIp) != e.IsSet(S.Ipv4EndIp))
            Require(e, e.IsSet(S.Ipv4StartIp) ? S.Ipv4EndIp : S.Ipv4StartIp, " with the other end of the range", ref ok);
        CheckRange(e, S.Ipv4StartIp, S.Ipv4EndIp, ref ok);
        var assignFrom = Enum<AssignIpFrom>(e, S.AssignIpFrom);
        if (type == Phase1Type.Dynamic && Bool(e, S.ModeCfg))
            CheckAddressSource(e, assignFrom, ref ok);

        var match = Enum<RemoteGwMatchMode>(e, S.RemoteGwMatch);
        CheckRemoteGwMatch(e, match, ref ok);
        CheckRange(e, S.RemoteGwStartIp, S.RemoteGwEndIp, ref ok);
        var tags = BuildZtnaTags(e, match, ikeVersion, ref ok);
        var redirectGateways = BuildRedirectGateways(e, ref ok);

        if (!ok || intf is null)
            return null;
        return new Phase1Interface
        {
            Span = e.Span,
            Name = e.Name!,
            Type = type,
            Interface = intf,
            IkeVersion = ikeVersion,
            KeyLifetime = Seconds(e, S.Keylife),
            AuthMethod = authMethod,
            Certificates = certificates,
            Peer = peer,
            EapCertAuth = Bool(e, S.EapCertAuth),
            ZtnaUidProof = Bool(e, S.ZtnaUidProof),
            ZtnaTokenBinding = Bool(e, S.ZtnaTokenBinding),
            PeerType = Enum<PeerType>(e, S.PeerType),
            PeerId = Str(e, S.PeerId),
            LocalId = Str(e, S.LocalId),
            NetDevice = Bool(e, S.NetDevice),
            ModeCfg = Bool(e, S.ModeCfg),
            AssignIpFrom = assignFrom,
            Ipv4Name = pool,
            Ipv4StartIp = Ip(e, S.Ipv4StartIp),
            Ipv4EndIp = Ip(e, S.Ipv4EndIp),
            Ipv4Netmask = Ip(e, S.Ipv4Netmask)!,
            DnsMode = Enum<DnsMode>(e, S.DnsMode),
            Ipv4DnsServers = new ValueList<IPAddress>(new[] { Ip(e, S.Ipv4DnsServer1), Ip(e, S.Ipv4DnsServer2), Ip(e, S.Ipv4DnsServer3) }.OfType<IPAddress>()),
            Ipv4SplitInclude = split,
            Proposals = List<CipherSuite>(e, S.Proposal),
            DhGroups = List<KeyExchangeMethod>(e, S.Dhgrp),
            Dpd = Enum<DpdMode>(e, S.Dpd),
            DpdRetryCount = Int(e, S.DpdRetryCount),
            DpdRetryInterval = Seconds(e, S.DpdRetryInterval),
            NatTraversal = Enum<NatTraversal>(e, S.NatTraversal),
            Fragmentation = Bool(e, S.Fragmentation),
            FragmentationMtu = Int(e, S.FragmentationMtu),
            Eap = Bool(e, S.Eap),
            EapIdentity = Enum<EapIdentity>(e, S.EapIdentity),
            EapMethod = Enum<EapMethod>(e, S.EapMethod),
            AuthUserGroup = group,
            EmsSnCheck = Bool(e, S.EmsSnCheck),
            RemoteGwMatch = match,
            RemoteGwSubnet = (IpPrefix?)e.Get(S.RemoteGwSubnet),
            RemoteGwStartIp = Ip(e, S.RemoteGwStartIp),
            RemoteGwEndIp = Ip(e, S.RemoteGwEndIp),
            RemoteGwCountry = Str(e, S.RemoteGwCountry),
            RemoteGwZtnaTags = tags,
            RedirectGateways = redirectGateways,
            RedirectThreshold = Int(e, S.RedirectThreshold),
            SavePassword = Bool(e, S.SavePassword),
            PskSecret = SecretOf(e, S.PskSecret),
        };
    }

    /// <summary>A dynamic gateway handing out addresses (mode-cfg) needs somewhere to take them from.</summary>
    private void CheckAddressSource(BoundEntry e, AssignIpFrom from, ref bool ok)
    {
        switch (from)
        {
            case AssignIpFrom.Range when !e.IsSet(S.Ipv4StartIp) || !e.IsSet(S.Ipv4EndIp):
                Fail(e.Span, $"{Describe(e)}: 'mode-cfg enable' needs an address pool: set ipv4-start-ip and ipv4-end-ip, or 'assign-ip-from name' with ipv4-name", ref ok);
                break;
            case AssignIpFrom.Name when !e.IsSet(S.Ipv4Name):
                Fail(e.SpanOf(S.AssignIpFrom), "'assign-ip-from name' needs 'set ipv4-name'", ref ok);
                break;
        }
    }

    private void CheckRemoteGwMatch(BoundEntry e, RemoteGwMatchMode match, ref bool ok)
    {
        var at = e.SpanOfValue(S.RemoteGwMatch);
        switch (match)
        {
            case RemoteGwMatchMode.IpMask when !e.IsSet(S.RemoteGwSubnet):
                Fail(at, "'remote-gw-match ipmask' needs 'set remote-gw-subnet'", ref ok);
                break;
            case RemoteGwMatchMode.IpRange when !e.IsSet(S.RemoteGwStartIp) || !e.IsSet(S.RemoteGwEndIp):
                Fail(at, "'remote-gw-match iprange' needs 'set remote-gw-start-ip' and 'set remote-gw-end-ip'", ref ok);
                break;
            case RemoteGwMatchMode.Geography when !e.IsSet(S.RemoteGwCountry):
                Fail(at, "'remote-gw-match geography' needs 'set remote-gw-country'", ref ok);
                break;
            case RemoteGwMatchMode.Ztna when !e.IsSet(S.RemoteGwZtnaTags):
                Fail(at, "'remote-gw-match ztna' needs 'set remote-gw-ztna-tags'", ref ok);
                break;
        }
    }

    private ValueList<ZtnaTag> BuildZtnaTags(BoundEntry e, RemoteGwMatchMode match, int ikeVersion, ref bool ok)
    {
        var names = List<string>(e, S.RemoteGwZtnaTags);
        if (names.Count == 0)
            return ValueList<ZtnaTag>.Empty;
        if (match != RemoteGwMatchMode.Ztna)
            Fail(e.SpanOf(S.RemoteGwZtnaTags), "'remote-gw-ztna-tags' needs 'set remote-gw-match ztna'", ref ok);
        if (ikeVersion != 2)
            Fail(e.SpanOf(S.RemoteGwZtnaTags), "'remote-gw-ztna-tags' needs 'set ike-version 2'", ref ok);
        var tags = new List<ZtnaTag>(names.Count);
        for (var i = 0; i < names.Count; i++)
        {
            var at = e.SpanOfValue(S.RemoteGwZtnaTags, i);
            if (!ZtnaTagName.TryParse(names[i], out var emsId, out var tag))
            {
                Fail(at, $"ZTNA tag '{names[i]}' must be named EMS<n>_ZTNA_<tag>", ref ok);
                continue;
            }
            if (!_ems.TryGet(emsId.ToString(System.Globalization.CultureInfo.InvariantCulture), out var ems))
            {
                if (!_doc.Has(FctEmsSchema.Table) || _doc[FctEmsSchema.Table].Find(emsId.ToString(System.Globalization.CultureInfo.InvariantCulture)) is null)
                    _d.Error(at, $"ZTNA tag '{names[i]}' needs EMS connector {emsId}: no 'edit {emsId}' in 'config endpoint-control fctems'");
                ok = false;
                continue;
            }
            FirewallAddress? address = null;
            if (_addresses.TryGet(names[i], out var a))
            {
                if (a.Type != AddressType.Dynamic || a.SubType != AddressSubType.EmsTag)
                    Fail(at, $"'{names[i]}' is a firewall address but not 'type dynamic' with 'sub-type ems-tag'", ref ok);
                address = a;
            }
            else
            {
                // The EMS publishes its tags at run time; a tag not declared here is normal, but worth a look.
                _d.Warning(at, $"ZTNA tag '{names[i]}' is not declared in 'config firewall address'; it must arrive from EMS {emsId} at run time");
            }
            tags.Add(new ZtnaTag { Span = at, Name = names[i], EmsId = emsId, Tag = tag, Ems = ems, Address = address });
        }
        return new ValueList<ZtnaTag>(tags);
    }

    /// <summary><c>ipv4-name</c>: an address whose range is the pool (ipmask or iprange).</summary>
    private FirewallAddress? ResolvePoolAddress(string name, SourceSpan at, ref bool ok)
    {
        var obj = ResolveAddressObject(name, at, ref ok);
        if (obj is FirewallAddress { Type: AddressType.IpMask or AddressType.IpRange, IsPredefined: false } a)
            return a;
        if (obj is not null)
            Fail(at, $"'ipv4-name' must name an ipmask or iprange address, and '{name}' is not one", ref ok);
        return null;
    }

    private void Fail(SourceSpan at, string message, ref bool ok)
    {
        ok = false;
        _d.Error(at, message);
    }
}
