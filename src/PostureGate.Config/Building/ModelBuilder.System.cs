// Builds FortiOS `config system settings`, `system global`, `system dns` and `system interface` into the model (a vlan needs its
// parent interface and id; `allowaccess https` and `admin-server-cert` only with the console of `admin-sport`).
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

    // The one allowaccess word implemented: the admin console (and its /metrics) over HTTPS.
    private const string HttpsAccess = "https";

    private SystemGlobal BuildGlobal(OrderedMap<SystemInterface> interfaces)
    {
        var e = _doc.Section(SystemGlobalSchema.Table, _d.File);
        var ok = true;
        var console = e.IsSet(SystemGlobalSchema.AdminSport);
        OnlyWith(e, SystemGlobalSchema.AdminServerCert, console, "'set admin-sport' (the admin console)", ref ok);
        LocalCertificate? cert = null;
        if (console && Str(e, SystemGlobalSchema.AdminServerCert) is { } name)
            cert = Resolve(_locals, VpnCertificateLocalSchema.Table, name, e.SpanOfValue(SystemGlobalSchema.AdminServerCert), "local certificate", ref ok);
        if (!console)
        {
            // A FortiGate's file opens https on interfaces with admin-sport at its unprinted default (443);
            // here the console stays off until admin-sport is set, so the word loads but says so.
            foreach (var intf in interfaces.Values.Where(i => i.AllowHttps))
            {
                var entry = _doc[SystemInterfaceSchema.Table].Find(intf.Name)!;
                _d.Warning(entry.SpanOfValue(SystemInterfaceSchema.AllowAccess, List<string>(entry, SystemInterfaceSchema.AllowAccess).ToList().IndexOf(HttpsAccess)),
                    "'allowaccess https' has no effect without the admin console: set 'admin-sport' in 'config system global' (PostureGate does not assume FortiOS's 443)");
            }
        }
        return new SystemGlobal
        {
            Span = e.Span,
            AdminSport = console ? Int(e, SystemGlobalSchema.AdminSport) : null,
            AdminServerCert = cert,
        };
    }

    // FortiOS's other words (ping, ssh, http, snmp, fgfm …) govern services PostureGate does not run:
    // like the FortiOS attributes it does not read, they load with a warning so a FortiGate's file does.
    private void WarnAllowAccess(BoundEntry e)
    {
        var words = List<string>(e, SystemInterfaceSchema.AllowAccess);
        var other = words.Where(w => w != HttpsAccess).ToList();
        if (other.Count == 0)
            return;
        _d.Warning(e.SpanOfValue(SystemInterfaceSchema.AllowAccess, words.ToList().IndexOf(other[0])),
            $"'allowaccess {string.Join(' ', other)}' has no effect in PostureGate: it answers only 'https' (the admin console of 'admin-sport'); kept as written");
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
        WarnAllowAccess(e);
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
            AllowHttps = List<string>(e, SystemInterfaceSchema.AllowAccess).Contains(HttpsAccess),
        };
    }
}
