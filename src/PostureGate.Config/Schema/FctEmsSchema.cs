// config endpoint-control fctems: the FortiClient EMS connectors, numbered 1..7
// as FortiOS 7.x numbers them (`edit 1` … the id is the n of EMS<n>_ZTNA_<tag>).
// Defaults: FortiOS 7.4 CLI reference "config endpoint-control fctems"
// (https-port 443, call-timeout 30 s in 1-180, pull-tags enable, status disable —
// FortiOS pre-creates the entries disabled), out-of-sync-threshold 180 s (10-3600).
// api-key is PostureGate's: FortiOS pairs by certificate; our EMS client uses a key.
namespace PostureGate.Config.Schema;

internal static class FctEmsSchema
{
    public static readonly TableSchema Table = new("endpoint-control fctems", isTable: true, minKey: 1, maxKey: 7);
    public static readonly AttributeSchema Status = Table.Toggle("status", false);
    public static readonly AttributeSchema Name = Table.String("name", maxLength: 35);
    public static readonly AttributeSchema Server = Table.String("server", maxLength: 255);
    public static readonly AttributeSchema HttpsPort = Table.Integer("https-port", 1, 65535, 443);
    public static readonly AttributeSchema SerialNumber = Table.String("serial-number", maxLength: 16);
    public static readonly AttributeSchema TenantId = Table.String("tenant-id", maxLength: 32);
    public static readonly AttributeSchema CertificateFingerprint = Table.String("certificate-fingerprint", maxLength: 127);
    public static readonly AttributeSchema ApiKey = Table.Secret("api-key");
    public static readonly AttributeSchema CallTimeout = Table.Integer("call-timeout", 1, 180, 30);
    public static readonly AttributeSchema OutOfSyncThreshold = Table.Integer("out-of-sync-threshold", 10, 3600, 180);
    public static readonly AttributeSchema PullTags = Table.Toggle("pull-tags", true);
}
