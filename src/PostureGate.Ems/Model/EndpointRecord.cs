// An endpoint as the EMS stores it (after FortiOS `diagnose endpoint ec-shm list`), with the `endpoint.*` fields rules read.
namespace PostureGate.Ems.Model;

/// <summary>An endpoint as the EMS stores it (the `diagnose endpoint ec-shm list` record).</summary>
public sealed record EndpointRecord(
    string Uid,
    string Host,
    string User,
    string Os,
    string OsVersion,
    string FctVersion,
    string? Ip,
    IReadOnlyList<string> Macs,
    string? PublicIp,
    string Facts,
    string ZtnaCertSn,
    long RegisteredAt,
    long LastSeen,
    IReadOnlyList<TagRef> Tags)
{
    /// <summary>The built-in `endpoint.*` values a rule can read.</summary>
    public IReadOnlyDictionary<string, string?> RuleFields() => new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        ["uid"] = Uid,
        ["host"] = Host,
        ["user"] = User,
        ["os"] = Os,
        ["os_version"] = OsVersion,
        ["fct_version"] = FctVersion,
        ["ip"] = Ip,
        ["public_ip"] = PublicIp,
    };
}
