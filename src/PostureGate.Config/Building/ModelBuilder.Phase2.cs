// Builds FortiOS `config vpn ipsec phase2-interface` into the model: phase1 reference, proposals, PFS groups, selectors.
using PostureGate.Config.Binding;
using PostureGate.Config.Model;
using PostureGate.Config.Schema;
using PostureGate.Proposals;
using S = PostureGate.Config.Schema.Phase2Schema;

namespace PostureGate.Config.Building;

internal sealed partial class ModelBuilder
{
    private Phase2Interface? BuildPhase2(BoundEntry e)
    {
        var ok = true;
        CheckPhase2Implemented(e, ref ok);
        Require(e, S.Phase1Name, "", ref ok);
        var phase1 = Str(e, S.Phase1Name) is { } p1
            ? Resolve(_phase1, Phase1Schema.Table, p1, e.SpanOfValue(S.Phase1Name), "phase1-interface", ref ok)
            : null;
        var source = BuildSelector(e, S.SrcAddrType, S.SrcSubnet, S.SrcStartIp, S.SrcEndIp, S.SrcName, ref ok);
        var destination = BuildSelector(e, S.DstAddrType, S.DstSubnet, S.DstStartIp, S.DstEndIp, S.DstName, ref ok);
        if (!ok || phase1 is null || source is null || destination is null)
            return null;
        return new Phase2Interface
        {
            Span = e.Span,
            Name = e.Name!,
            Phase1 = phase1,
            Proposals = List<CipherSuite>(e, S.Proposal),
            Pfs = Bool(e, S.Pfs),
            DhGroups = List<KeyExchangeMethod>(e, S.Dhgrp),
            Replay = Bool(e, S.Replay),
            Keepalive = Bool(e, S.Keepalive),
            AutoNegotiate = Bool(e, S.AutoNegotiate),
            KeyLifetime = Seconds(e, S.KeylifeSeconds),
            Source = source,
            Destination = destination,
        };
    }

    private Phase2Selector? BuildSelector(BoundEntry e, AttributeSchema type, AttributeSchema subnet, AttributeSchema start,
        AttributeSchema end, AttributeSchema name, ref bool ok)
    {
        var kind = Enum<SelectorType>(e, type);
        var why = $" for '{type.Name} {type.Words[Array.IndexOf(type.EnumValues, e.Get(type))]}'";
        AddressObject? named = null;
        switch (kind)
        {
            case SelectorType.Range:
                Require(e, start, why, ref ok);
                Require(e, end, why, ref ok);
                CheckRange(e, start, end, ref ok);
                break;
            case SelectorType.Ip:
                Require(e, start, why, ref ok);
                break;
            case SelectorType.Name:
                Require(e, name, why, ref ok);
                if (Str(e, name) is { } n)
                    named = ResolveAddressObject(n, e.SpanOfValue(name), ref ok);
                break;
        }
        return new Phase2Selector
        {
            Type = kind,
            Subnet = (IpPrefix)e.Get(subnet)!,
            StartIp = Ip(e, start),
            EndIp = Ip(e, end),
            Name = named,
        };
    }
}
