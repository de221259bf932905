// Endpoints: registration and fact reports (client API), reads (gateway and admin).
// A report re-evaluates every rule for that endpoint in the same transaction, so the tags
// a gateway sees never lag the facts that produced them.
using System.Text.Json;
using System.Data.Common;
using PostureGate.Ems.Model;

namespace PostureGate.Ems.Storage;

public sealed partial class EmsStore
{
    private const string EndpointColumns =
        "uid, host, \"user\", os, os_version, fct_version, ip, macs, public_ip, facts, ztna_cert_sn, registered_at, last_seen";

    // The columns ReadRow reads; the next one in a query is the first past them.
    private const int EndpointColumnCount = 13;

    /// <summary>Registers (or re-registers) an endpoint, or with <paramref name="mustExist"/> only
    /// updates a known one. <paramref name="publicIp"/> is the HTTP peer address.</summary>
    /// <remarks>Three round trips on PostgreSQL: one batch reads (after the writer lock) the endpoint,
    /// its tags and the rules; the new record and its rule tags are worked out here, as the statements
    /// would leave them; one batch writes them with the change row and its NOTIFY; then the commit.</remarks>
    public EmsResult Report(EndpointReport report, string? publicIp, bool mustExist)
    {
        var now = Now;
        return WriteBatched((connection, tx, lockSql) =>
        {
            EndpointRecord? before = null;
            var wasLoggedOffline = false;
            var tagRows = new List<(string Tag, int Type, bool ByRule)>();
            var rules = new List<(string Name, int Type, string Expression)>();
            var read = new StatementBatch();
            // The lock first: the reads below see every writer before this one, and none after.
            if (lockSql is not null)
                read.Query(lockSql, static _ => { });
            read.Query($"SELECT {EndpointColumns}, offline_logged FROM endpoints WHERE uid = $uid;", r =>
                {
                    if (!r.Read())
                        return;
                    before = ReadRow(r, []);
                    wasLoggedOffline = r.GetInt64(EndpointColumnCount) == 1;
                }, ("$uid", report.Uid))
                .Query("SELECT et.tag, t.type, et.source FROM endpoint_tags et JOIN tags t ON t.name = et.tag WHERE et.uid = $uid;", r =>
                {
                    while (r.Read())
                        tagRows.Add((r.GetString(0), r.GetInt32(1), r.GetString(2) == "rule"));
                }, ("$uid", report.Uid))
                .Query("SELECT name, type, expression FROM tags WHERE expression IS NOT NULL;", r =>
                {
                    while (r.Read())
                        rules.Add((r.GetString(0), r.GetInt32(1), r.GetString(2)));
                })
                .Run(connection, tx);
            if (before is null && mustExist)
                return EmsResult.Fail(EmsOutcome.NotFound, $"endpoint {report.Uid} is not registered");
            if (before is not null)
                before = before with { Tags = TagList(tagRows.Select(t => (t.Tag, t.Type))) };

            var macs = report.Macs ?? before?.Macs ?? [];
            var after = new EndpointRecord(
                Uid: report.Uid,
                Host: report.Host ?? before?.Host ?? "",
                User: report.User ?? before?.User ?? "",
                Os: report.Os ?? before?.Os ?? "",
                OsVersion: report.OsVersion ?? before?.OsVersion ?? "",
                FctVersion: report.FctVersion ?? before?.FctVersion ?? "",
                Ip: report.Ip ?? before?.Ip,
                Macs: macs,
                PublicIp: publicIp ?? before?.PublicIp,
                Facts: report.Facts ?? before?.Facts ?? "{}",
                // The serial of the ZTNA client certificate EMS would issue; fixed at first registration.
                ZtnaCertSn: before?.ZtnaCertSn ?? RandomHex(20),
                RegisteredAt: before?.RegisteredAt ?? now,
                LastSeen: now,
                Tags: []);
            var ruleTags = RuleTagsOf(after, rules.Select(r => (r.Name, r.Expression)));
            var ruleTagsBefore = tagRows.Where(t => t.ByRule).Select(t => t.Tag).ToHashSet(StringComparer.Ordinal);
            after = after with
            {
                Tags = TagList(tagRows.Where(t => !t.ByRule).Select(t => (t.Tag, t.Type))
                    .Concat(rules.Where(r => ruleTags.Contains(r.Name)).Select(r => (r.Name, r.Type)))),
            };

            var write = new StatementBatch().Execute("""
                INSERT INTO endpoints(uid, host, "user", os, os_version, fct_version, ip, macs, public_ip, facts, ztna_cert_sn, registered_at, last_seen)
                VALUES ($uid, $host, $user, $os, $osv, $fct, $ip, $macs, $pip, $facts, $sn, $now, $now)
                ON CONFLICT(uid) DO UPDATE SET host = excluded.host, "user" = excluded."user", os = excluded.os,
                    os_version = excluded.os_version, fct_version = excluded.fct_version, ip = excluded.ip,
                    macs = excluded.macs, public_ip = excluded.public_ip, facts = excluded.facts, last_seen = excluded.last_seen,
                    offline_logged = 0;
                """,
                ("$uid", after.Uid), ("$host", after.Host), ("$user", after.User), ("$os", after.Os), ("$osv", after.OsVersion),
                ("$fct", after.FctVersion), ("$ip", after.Ip), ("$macs", JsonSerializer.Serialize(macs)), ("$pip", after.PublicIp),
                ("$facts", after.Facts), ("$sn", after.ZtnaCertSn), ("$now", now));
            foreach (var name in ruleTagsBefore.Except(ruleTags))
                write.Execute("DELETE FROM endpoint_tags WHERE uid = $u AND tag = $n AND source = 'rule';", ("$u", after.Uid), ("$n", name));
            foreach (var name in ruleTags.Except(ruleTagsBefore))
                write.Execute("INSERT INTO endpoint_tags(uid, tag, source) VALUES ($u, $n, 'rule');", ("$u", after.Uid), ("$n", name));
            var version = 0L;
            // Back after its going offline was logged: coming online is a change too.
            if (before is not null && !wasLoggedOffline && SameVisibleState(before, after))
            {
                write.Query("SELECT COALESCE(MAX(version), 0) FROM changes;", r => version = r.Read() ? r.GetInt64(0) : 0).Run(connection, tx);
                return new EmsResult(EmsOutcome.Unchanged, null, version);
            }
            var kind = before is null ? ChangeKinds.EndpointRegistered : ChangeKinds.EndpointUpdated;
            write.Query("INSERT INTO changes(at, kind, subject, data) VALUES ($at, $kind, $subject, $data) RETURNING version;",
                r => version = r.Read() ? r.GetInt64(0) : throw new InvalidOperationException("the change row returned no version"),
                ("$at", now), ("$kind", kind), ("$subject", after.Uid), ("$data", EndpointJson.ToJson(after, now, OnlineSeconds, includeFacts: false)));
            if (Database.Dialect.AnnounceChangeSql is { } announce)
                write.Execute(announce);
            write.Run(connection, tx);
            return new EmsResult(EmsOutcome.Ok, null, version);
        });
    }

    /// <summary>An endpoint's tag list as <see cref="ReadTags"/> gives it: each name once, by name
    /// (ordinal: names are ASCII, so SQLite's BINARY and PostgreSQL's "C" order agree).</summary>
    private static List<TagRef> TagList(IEnumerable<(string Name, int Type)> tags) =>
        tags.DistinctBy(t => t.Name, StringComparer.Ordinal).OrderBy(t => t.Name, StringComparer.Ordinal)
            .Select(t => new TagRef(t.Name, t.Type)).ToList();

    public EndpointRecord? FindByUid(string uid)
    {
        if (!EndpointUid.TryNormalize(uid, out var normalized))
            return null;
        using var connection = Database.Open();
        return ReadEndpoint(connection, null, normalized);
    }

    /// <summary>The endpoint whose own (not public) IP is <paramref name="ip"/>, most recently seen first;
    /// FortiOS resolves tags to the client-reported address, not the NAT'd one.</summary>
    public EndpointRecord? FindByIp(string ip)
    {
        if (!IpText.TryNormalize(ip, out var normalized))
            return null;
        using var connection = Database.Open();
        using var command = Command(connection, null, "SELECT uid FROM endpoints WHERE ip = $ip ORDER BY last_seen DESC LIMIT 1;", ("$ip", normalized));
        return command.ExecuteScalar() is string uid ? ReadEndpoint(connection, null, uid) : null;
    }

    /// <summary>How many endpoints are registered (metrics; one COUNT, no rows read).</summary>
    public long CountEndpoints()
    {
        using var connection = Database.Open();
        using var command = Command(connection, null, "SELECT COUNT(*) FROM endpoints;");
        return command.ExecuteScalar() is long n ? n : 0;
    }

    public IReadOnlyList<EndpointRecord> ListEndpoints()
    {
        using var connection = Database.Open();
        using var tx = Database.Dialect.BeginRead(connection);
        var list = new List<EndpointRecord>();
        foreach (var endpoint in ReadAllEndpoints(connection, tx))
            list.Add(endpoint);
        return list;
    }

    internal long OnlineSeconds => (long)OnlineWindow.TotalSeconds;

    public bool IsOnline(EndpointRecord endpoint) => Now - endpoint.LastSeen <= OnlineSeconds;

    internal static EndpointRecord? ReadEndpoint(DbConnection connection, DbTransaction? tx, string uid)
    {
        EndpointRecord endpoint;
        using (var command = Command(connection, tx, $"SELECT {EndpointColumns} FROM endpoints WHERE uid = $uid;", ("$uid", uid)))
        using (var reader = command.ExecuteReader())
        {
            if (!reader.Read())
                return null;
            endpoint = ReadRow(reader, []);
        }
        // One open reader per connection: PostgreSQL has no interleaved result sets.
        return endpoint with { Tags = ReadTags(connection, tx, uid) };
    }

    /// <summary>Streams every endpoint with its tags, ordered by UID: one ordered scan of endpoints
    /// joined to their assignments (one reader, as PostgreSQL allows one per connection). A tag held
    /// both by the admin and by a rule comes twice, adjacent; it is listed once.</summary>
    internal static IEnumerable<EndpointRecord> ReadAllEndpoints(DbConnection connection, DbTransaction? tx)
    {
        using var command = Command(connection, tx, $"""
            SELECT {AllEndpointColumns}, t.name, t.type FROM endpoints e
            LEFT JOIN endpoint_tags et ON et.uid = e.uid LEFT JOIN tags t ON t.name = et.tag
            ORDER BY e.uid, et.tag;
            """);
        using var reader = command.ExecuteReader();
        var hasRow = reader.Read();
        while (hasRow)
        {
            var endpoint = ReadRow(reader, []);
            var tags = new List<TagRef>();
            do
            {
                if (!reader.IsDBNull(TagColumn) && (tags.Count == 0 || tags[^1].Name != reader.GetString(TagColumn)))
                    tags.Add(new TagRef(reader.GetString(TagColumn), reader.GetInt32(TagColumn + 1)));
                hasRow = reader.Read();
            }
            while (hasRow && reader.GetString(0) == endpoint.Uid);
            yield return endpoint with { Tags = tags };
        }
    }

    private const string AllEndpointColumns =
        "e.uid, e.host, e.\"user\", e.os, e.os_version, e.fct_version, e.ip, e.macs, e.public_ip, e.facts, e.ztna_cert_sn, e.registered_at, e.last_seen";

    // The first column after EndpointColumns in ReadAllEndpoints' query.
    private const int TagColumn = EndpointColumnCount;

    private static List<TagRef> ReadTags(DbConnection connection, DbTransaction? tx, string uid)
    {
        using var command = Command(connection, tx, """
            SELECT DISTINCT t.name, t.type FROM endpoint_tags et JOIN tags t ON t.name = et.tag
            WHERE et.uid = $uid ORDER BY t.name;
            """, ("$uid", uid));
        using var reader = command.ExecuteReader();
        var tags = new List<TagRef>();
        while (reader.Read())
            tags.Add(new TagRef(reader.GetString(0), reader.GetInt32(1)));
        return tags;
    }

    private static EndpointRecord ReadRow(DbDataReader r, IReadOnlyList<TagRef> tags) => new(
        Uid: r.GetString(0),
        Host: r.GetString(1),
        User: r.GetString(2),
        Os: r.GetString(3),
        OsVersion: r.GetString(4),
        FctVersion: r.GetString(5),
        Ip: r.IsDBNull(6) ? null : r.GetString(6),
        Macs: JsonSerializer.Deserialize<string[]>(r.GetString(7)) ?? [],
        PublicIp: r.IsDBNull(8) ? null : r.GetString(8),
        Facts: r.GetString(9),
        ZtnaCertSn: r.GetString(10),
        RegisteredAt: r.GetInt64(11),
        LastSeen: r.GetInt64(12),
        Tags: tags);

    /// <summary>Everything but last_seen: a report that only proves liveness is not a change.</summary>
    private static bool SameVisibleState(EndpointRecord a, EndpointRecord b) =>
        a.Host == b.Host && a.User == b.User && a.Os == b.Os && a.OsVersion == b.OsVersion
        && a.FctVersion == b.FctVersion && a.Ip == b.Ip && a.PublicIp == b.PublicIp && a.Facts == b.Facts
        && a.Macs.SequenceEqual(b.Macs) && a.Tags.SequenceEqual(b.Tags);
}
