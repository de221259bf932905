// Builds FortiOS `config system settings`, `system dns` and `system interface` into the model (a vlan needs its parent interface and id).
using PostureGate.Config.Binding;
using PostureGate.Config.Model;
using PostureGate.Config.Schema;

namespace PostureGate.Config.Building;

internal sealed partial class ModelBuilder
{
    private OrderedMap<SystemInterface> _interfaces = new();

    private SystemSettings BuildSettings()
    {
        var e = _doc.Section(SystemSettingsSchema.Table, _d.File);
        return new SystemSettings { Span = e.Span, IkePort = Int(e, SystemSettingsSchema.IkePort), IkeNattPort = Int(e, SystemSettingsSchema.IkeNattPort) };
    }

    private DnsSettings BuildDns()
    {
        var e = _doc.Section(SystemDnsSchema.Table, _d.File);
        return new DnsSettings { Span = e.Span, Primary = Ip(e, SystemDnsSchema.Primary), Secondary = Ip(e, SystemDnsSchema.Secondary) };
    }

    private OrderedMap<SystemInterface> BuildInterfaces()
    {
        _interfaces = BuildTable(SystemInterfaceSchema.Table, BuildInterface);
        // A VLAN's parent may be defined after it: checked once all are known.
        foreach (var intf in _interfaces.Values)
        {
            if (intf.ParentName is { } parent && !_interfaces.TryGet(parent, out _))
            {
                var e = _doc[SystemInterfaceSchema.Table].Find(intf.Name)!;
                _d.Error(e.SpanOfValue(SystemInterfaceSchema.Interface), $"unknown interface '{parent}'", NameSuggester.Hint(parent, _interfaces.Keys));
            }
        }
        return _interfaces;
    }

    private SystemInterface? BuildInterface(BoundEntry e)
    {
        var ok = true;
        CheckInterfaceImplemented(e, ref ok);
        var type = Enum<InterfaceType>(e, SystemInterfaceSchema.Type);
        if (type == InterfaceType.Vlan)
        {
            Require(e, SystemInterfaceSchema.Interface, " for 'type vlan'", ref ok);
            Require(e, SystemInterfaceSchema.VlanId, " for 'type vlan'", ref ok);
        }
        if (!ok)
            return null;
        return new SystemInterface
        {
            Span = e.Span,
            Name = e.Name!,
            Vdom = Str(e, SystemInterfaceSchema.Vdom)!,
            Ip = (IpPrefix)e.Get(SystemInterfaceSchema.Ip)!,
            Type = type,
            Alias = Str(e, SystemInterfaceSchema.Alias),
            Description = Str(e, SystemInterfaceSchema.Description),
            Status = Enum<InterfaceStatus>(e, SystemInterfaceSchema.Status),
            Mtu = Int(e, SystemInterfaceSchema.Mtu),
            ParentName = Str(e, SystemInterfaceSchema.Interface),
            VlanId = e.IsSet(SystemInterfaceSchema.VlanId) ? Int(e, SystemInterfaceSchema.VlanId) : null,
        };
    }
}
