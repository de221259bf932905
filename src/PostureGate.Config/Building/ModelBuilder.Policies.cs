// Builds FortiOS `config firewall policy` entries into the model: required attributes, references, unimplemented values.
using System.Globalization;
using PostureGate.Config.Binding;
using PostureGate.Config.Model;
using PostureGate.Config.Schema;
using S = PostureGate.Config.Schema.FirewallPolicySchema;

namespace PostureGate.Config.Building;

internal sealed partial class ModelBuilder
{
    private FirewallPolicy? BuildPolicy(BoundEntry e)
    {
        var ok = true;
        CheckPolicyImplemented(e, ref ok);
        // FortiOS refuses to save a policy without these.
        foreach (var a in (ReadOnlySpan<AttributeSchema>)[S.SrcIntf, S.DstIntf, S.SrcAddr, S.DstAddr, S.Schedule, S.Service])
            Require(e, a, "", ref ok);
        var srcIntf = ResolveInterfaces(e, S.SrcIntf, ref ok);
        var dstIntf = ResolveInterfaces(e, S.DstIntf, ref ok);
        var srcAddr = ResolveAddresses(e, S.SrcAddr, ref ok);
        var dstAddr = ResolveAddresses(e, S.DstAddr, ref ok);
        var schedule = Str(e, S.Schedule);
        if (schedule is not null and not "always")
            Fail(e.SpanOfValue(S.Schedule), $"unknown schedule '{schedule}'; only the predefined 'always' exists", ref ok);
        var serviceNames = List<string>(e, S.Service);
        var services = new FirewallService[serviceNames.Count];
        for (var i = 0; i < services.Length; i++)
        {
            if (!FirewallService.Predefined.TryGet(serviceNames[i], out services[i]))
                _d.Error(e.SpanOfValue(S.Service, i), $"unknown service '{serviceNames[i]}'",
                    NameSuggester.Hint(serviceNames[i], FirewallService.Predefined.Select(s => s.Name)));
        }
        if (services.Any(s => s is null))
            ok = false;
        if (!ok)
            return null;
        return new FirewallPolicy
        {
            Span = e.Span,
            Id = long.Parse(e.Name!, CultureInfo.InvariantCulture),
            Name = Str(e, S.Name),
            Uuid = Str(e, S.Uuid),
            SourceInterfaces = srcIntf,
            DestinationInterfaces = dstIntf,
            SourceAddresses = srcAddr,
            DestinationAddresses = dstAddr,
            Action = Enum<PolicyAction>(e, S.Action),
            Schedule = schedule!,
            Services = new ValueList<FirewallService>(services),
            Nat = Bool(e, S.Nat),
            Enabled = Bool(e, S.Status),
            Comments = Str(e, S.Comments),
        };
    }

    private ValueList<INamedInterface> ResolveInterfaces(BoundEntry e, AttributeSchema a, ref bool ok)
    {
        var names = List<string>(e, a);
        var result = new INamedInterface[names.Count];
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i];
            if (name == "any")
                result[i] = AnyInterface.Instance;
            else if (_interfaces.TryGet(name, out var s))
                result[i] = s;
            else if (_phase1.TryGet(name, out var p))
                result[i] = p;
            else
            {
                ok = false;
                var exists = _doc.Has(SystemInterfaceSchema.Table) && _doc[SystemInterfaceSchema.Table].Find(name) is not null
                    || _doc.Has(Phase1Schema.Table) && _doc[Phase1Schema.Table].Find(name) is not null;
                if (!exists)
                    _d.Error(e.SpanOfValue(a, i), $"unknown interface '{name}' (neither a system interface nor a phase1-interface)",
                        NameSuggester.Hint(name, _interfaces.Keys.Concat(_phase1.Keys).Append("any")));
            }
        }
        return new ValueList<INamedInterface>(result);
    }

    private ValueList<AddressObject> ResolveAddresses(BoundEntry e, AttributeSchema a, ref bool ok)
    {
        var names = List<string>(e, a);
        var result = new AddressObject[names.Count];
        for (var i = 0; i < names.Count; i++)
            result[i] = ResolveAddressObject(names[i], e.SpanOfValue(a, i), ref ok)!;
        return new ValueList<AddressObject>(result);
    }
}
