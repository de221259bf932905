// Bound tables → the typed model. Builds in dependency order, resolves every
// reference to its object and runs the cross-entry checks (each a rule with its
// message, reported at the line it concerns). The model is returned only when
// the whole file is free of errors: nothing is ever half-applied.
using System.Net;
using PostureGate.Config.Binding;
using PostureGate.Config.Model;
using PostureGate.Config.Schema;

namespace PostureGate.Config.Building;

internal sealed partial class ModelBuilder
{
    private readonly BoundDocument _doc;
    private readonly DiagnosticBag _d;

    private ModelBuilder(BoundDocument doc, DiagnosticBag diagnostics)
    {
        _doc = doc;
        _d = diagnostics;
    }

    public static GatewayConfig? Build(BoundDocument doc, DiagnosticBag diagnostics)
    {
        var b = new ModelBuilder(doc, diagnostics);
        var settings = b.BuildSettings();
        var dns = b.BuildDns();
        var interfaces = b.BuildInterfaces();
        var cas = b.BuildTable(VpnCertificateCaSchema.Table, b.BuildCa);
        b._cas = cas;
        var locals = b.BuildTable(VpnCertificateLocalSchema.Table, b.BuildLocal);
        b._locals = locals;
        var global = b.BuildGlobal(interfaces);
        var users = b.BuildTable(UserLocalSchema.Table, b.BuildUser);
        b._users = users;
        var peers = b.BuildTable(UserPeerSchema.Table, b.BuildPeer);
        b._peers = peers;
        var groups = b.BuildTable(UserGroupSchema.Table, b.BuildUserGroup);
        b._groups = groups;
        var ems = b.BuildTable(FctEmsSchema.Table, b.BuildFctEms);
        b._ems = ems;
        var addresses = b.BuildTable(FirewallAddressSchema.Table, b.BuildAddress);
        b._addresses = addresses;
        var addressGroups = b.BuildAddressGroups();
        var phase1 = b.BuildTable(Phase1Schema.Table, b.BuildPhase1);
        b._phase1 = phase1;
        var phase2 = b.BuildTable(Phase2Schema.Table, b.BuildPhase2);
        var policies = b.BuildTable(FirewallPolicySchema.Table, b.BuildPolicy);
        if (diagnostics.ErrorCount > 0)
            return null;
        return new GatewayConfig
        {
            FileName = diagnostics.File,
            Global = global,
            Settings = settings,
            Dns = dns,
            Interfaces = new NamedTable<SystemInterface>(interfaces.Values),
            CaCertificates = new NamedTable<CaCertificate>(cas.Values),
            LocalCertificates = new NamedTable<LocalCertificate>(locals.Values),
            LocalUsers = new NamedTable<LocalUser>(users.Values),
            UserPeers = new NamedTable<UserPeer>(peers.Values),
            UserGroups = new NamedTable<UserGroup>(groups.Values),
            FctEms = new NamedTable<FctEms>(ems.Values),
            Addresses = new NamedTable<FirewallAddress>(addresses.Values),
            AddressGroups = new NamedTable<AddressGroup>(addressGroups.Values),
            Phase1Interfaces = new NamedTable<Phase1Interface>(phase1.Values),
            Phase2Interfaces = new NamedTable<Phase2Interface>(phase2.Values),
            Policies = new NamedTable<FirewallPolicy>(policies.Values),
            Source = doc,
        };
    }

    /// <summary>Builds each entry of a table in file order; a broken entry is left out (its errors are reported).</summary>
    private OrderedMap<T> BuildTable<T>(TableSchema table, Func<BoundEntry, T?> build) where T : class
    {
        var map = new OrderedMap<T>();
        if (!_doc.Has(table))
            return map;
        foreach (var e in _doc[table].Entries)
        {
            if (build(e) is { } built)
                map.Add(e.Name!, built);
        }
        return map;
    }

    /// <summary>
    /// Resolves a name in a built table. An entry that exists but failed to build
    /// yields null without a second error (its own errors already say why).
    /// </summary>
    private T? Resolve<T>(OrderedMap<T> built, TableSchema table, string name, SourceSpan at, string what, ref bool ok) where T : class
    {
        if (built.TryGet(name, out var v))
            return v;
        ok = false;
        if (!_doc.Has(table) || _doc[table].Find(name) is null)
            _d.Error(at, $"unknown {what} '{name}'", NameSuggester.Hint(name, built.Keys));
        return null;
    }

    private void Require(BoundEntry e, AttributeSchema a, string why, ref bool ok)
    {
        if (e.IsSet(a))
            return;
        ok = false;
        if (e.IsInvalid(a))
            return;
        _d.Error(e.Span, $"{Describe(e)}: 'set {a.Name}' is required{why}");
    }

    private void CheckRange(BoundEntry e, AttributeSchema start, AttributeSchema end, ref bool ok)
    {
        if (Ip(e, start) is { } s && Ip(e, end) is { } t && IpPrefix.ToUInt32(s) > IpPrefix.ToUInt32(t))
        {
            ok = false;
            _d.Error(e.SpanOfValue(end), $"'{end.Name}' {t} is below '{start.Name}' {s}");
        }
    }

    private static string Describe(BoundEntry e) => $"{e.Table.Path} \"{e.Name}\"";

    private static string? Str(BoundEntry e, AttributeSchema a) => (string?)e.Get(a);

    private static int Int(BoundEntry e, AttributeSchema a) => checked((int)(long)e.Get(a)!);

    private static bool Bool(BoundEntry e, AttributeSchema a) => (bool)e.Get(a)!;

    private static T Enum<T>(BoundEntry e, AttributeSchema a) where T : struct, System.Enum => (T)e.Get(a)!;

    private static IPAddress? Ip(BoundEntry e, AttributeSchema a) => (IPAddress?)e.Get(a);

    private static Secret? SecretOf(BoundEntry e, AttributeSchema a) => (Secret?)e.Get(a);

    private static ValueList<T> List<T>(BoundEntry e, AttributeSchema a) => (ValueList<T>?)e.Get(a) ?? ValueList<T>.Empty;

    private static TimeSpan Seconds(BoundEntry e, AttributeSchema a) => TimeSpan.FromSeconds((long)e.Get(a)!);
}
