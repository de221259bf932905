// Builds FortiOS `config firewall address` and `firewall addrgrp` into the model: address types, group members, no cycles.
using PostureGate.Config.Binding;
using PostureGate.Config.Model;
using PostureGate.Config.Schema;

namespace PostureGate.Config.Building;

internal sealed partial class ModelBuilder
{
    private OrderedMap<FirewallAddress> _addresses = new();
    private OrderedMap<AddressGroup> _addressGroups = new();

    private FirewallAddress? BuildAddress(BoundEntry e)
    {
        var ok = true;
        if (e.Name == "all")
        {
            _d.Error(e.Span, "'all' is a predefined address and cannot be redefined");
            return null;
        }
        var type = Enum<AddressType>(e, FirewallAddressSchema.Type);
        CheckAddressImplemented(e, type, ref ok);
        switch (type)
        {
            case AddressType.IpRange:
                Require(e, FirewallAddressSchema.StartIp, " for 'type iprange'", ref ok);
                Require(e, FirewallAddressSchema.EndIp, " for 'type iprange'", ref ok);
                CheckRange(e, FirewallAddressSchema.StartIp, FirewallAddressSchema.EndIp, ref ok);
                break;
            case AddressType.Geography:
                Require(e, FirewallAddressSchema.Country, " for 'type geography'", ref ok);
                if (Str(e, FirewallAddressSchema.Country) is { } c && (c.Length != 2 || !char.IsAsciiLetterUpper(c[0]) || !char.IsAsciiLetterUpper(c[1])))
                {
                    ok = false;
                    _d.Error(e.SpanOfValue(FirewallAddressSchema.Country), $"'country' must be a two-letter ISO 3166 code such as \"US\", not \"{c}\"");
                }
                break;
        }
        if (!ok)
            return null;
        var subnet = (IpPrefix)e.Get(FirewallAddressSchema.Subnet)!;
        return new FirewallAddress
        {
            Span = e.Span,
            Name = e.Name!,
            Type = type,
            // FortiOS stores the network of an ipmask address, dropping host bits.
            Subnet = new IpPrefix(subnet.Network, subnet.PrefixLength),
            StartIp = Ip(e, FirewallAddressSchema.StartIp),
            EndIp = Ip(e, FirewallAddressSchema.EndIp),
            SubType = Enum<AddressSubType>(e, FirewallAddressSchema.SubType),
            Country = Str(e, FirewallAddressSchema.Country),
            ObjTag = Str(e, FirewallAddressSchema.ObjTag),
            Comment = Str(e, FirewallAddressSchema.Comment),
            Uuid = Str(e, FirewallAddressSchema.Uuid),
        };
    }

    private OrderedMap<AddressGroup> BuildAddressGroups()
    {
        if (!_doc.Has(FirewallAddrgrpSchema.Table))
            return _addressGroups;
        var table = _doc[FirewallAddrgrpSchema.Table];
        // Groups may name groups defined later: build depth-first, detecting cycles.
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false = in progress, true = done
        foreach (var e in table.Entries)
            BuildGroup(e, table, state);
        var ordered = new OrderedMap<AddressGroup>();
        foreach (var e in table.Entries)
        {
            if (_addressGroups.TryGet(e.Name!, out var g))
                ordered.Add(e.Name!, g);
        }
        return _addressGroups = ordered;
    }

    private void BuildGroup(BoundEntry e, BoundTable table, Dictionary<string, bool> state)
    {
        if (state.ContainsKey(e.Name!))
            return;
        state[e.Name!] = false;
        var ok = true;
        if (_addresses.TryGet(e.Name!, out _) || e.Name == "all")
        {
            ok = false;
            _d.Error(e.Span, $"'{e.Name}' is already an address; addresses and groups share one namespace");
        }
        Require(e, FirewallAddrgrpSchema.Member, "", ref ok);
        var names = List<string>(e, FirewallAddrgrpSchema.Member);
        var members = new AddressObject[names.Count];
        for (var i = 0; i < names.Count; i++)
        {
            var at = e.SpanOfValue(FirewallAddrgrpSchema.Member, i);
            var name = names[i];
            if (table.Find(name) is { } sub)
            {
                if (state.TryGetValue(name, out var done) && !done)
                {
                    ok = false;
                    _d.Error(at, $"address group '{e.Name}' contains itself through '{name}'");
                    continue;
                }
                BuildGroup(sub, table, state);
                if (_addressGroups.TryGet(name, out var g))
                    members[i] = g;
                else
                    ok = false;
                continue;
            }
            if (name == "all")
                members[i] = FirewallAddress.All;
            else
                members[i] = Resolve(_addresses, FirewallAddressSchema.Table, name, at, "address", ref ok)!;
        }
        state[e.Name!] = true;
        if (ok)
            _addressGroups.Add(e.Name!, new AddressGroup
            {
                Span = e.Span,
                Name = e.Name!,
                Members = new ValueList<AddressObject>(members),
                Comment = Str(e, FirewallAddrgrpSchema.Comment),
                Uuid = Str(e, FirewallAddrgrpSchema.Uuid),
            });
    }

    /// <summary>An address, a group or the predefined <c>all</c>; reports unknown names.</summary>
    private AddressObject? ResolveAddressObject(string name, SourceSpan at, ref bool ok)
    {
        if (name == "all")
            return FirewallAddress.All;
        if (_addresses.TryGet(name, out var a))
            return a;
        if (_addressGroups.TryGet(name, out var g))
            return g;
        ok = false;
        var known = _doc.Has(FirewallAddressSchema.Table) && _doc[FirewallAddressSchema.Table].Find(name) is not null
            || _doc.Has(FirewallAddrgrpSchema.Table) && _doc[FirewallAddrgrpSchema.Table].Find(name) is not null;
        if (!known)
            _d.Error(at, $"unknown address or address group '{name}'", NameSuggester.Hint(name, _addresses.Keys.Concat(_addressGroups.Keys).Append("all")));
        return null;
    }
}
