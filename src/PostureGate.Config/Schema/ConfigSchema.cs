// Every FortiOS configuration path PostureGate reads, in the order FortiOS `show` prints them (dependencies first).
using System.Collections.Frozen;

namespace PostureGate.Config.Schema;

/// <summary>Every configuration path PostureGate reads, in the order `config show` prints them (dependencies first, as FortiOS does).</summary>
internal static class ConfigSchema
{
    public static readonly TableSchema[] Tables =
    [
        SystemGlobalSchema.Table,
        SystemSettingsSchema.Table,
        SystemDnsSchema.Table,
        SystemInterfaceSchema.Table,
        VpnCertificateCaSchema.Table,
        VpnCertificateLocalSchema.Table,
        UserLocalSchema.Table,
        UserPeerSchema.Table,
        UserGroupSchema.Table,
        FctEmsSchema.Table,
        FirewallAddressSchema.Table,
        FirewallAddrgrpSchema.Table,
        Phase1Schema.Table,
        Phase2Schema.Table,
        FirewallPolicySchema.Table,
    ];

    private static readonly FrozenDictionary<string, TableSchema> ByPath = Tables.ToFrozenDictionary(t => t.Path, StringComparer.Ordinal);

    public static TableSchema? Find(string path) => ByPath.TryGetValue(path, out var t) ? t : null;

    public static IEnumerable<string> Paths => Tables.Select(t => t.Path);
}
