// What the web console keeps in the EMS database: admin accounts, the audit of admin actions,
// where each tag of an endpoint comes from, and a rule's effect before it is saved.
using System.Data.Common;
using System.Text.Json;
using PostureGate.Ems.Model;
using PostureGate.Ems.Rules;
using PostureGate.Web.Accounts;
using PostureGate.Web.Audit;

namespace PostureGate.Ems.Storage;

/// <summary>A tag on an endpoint and why: assigned by an admin, by its rule, or both.</summary>
public sealed record EndpointTagSource(string Tag, int Type, bool ByAdmin, bool ByRule, string? Expression);

/// <summary>Which endpoints a rule would give the tag to that do not hold it now, and which would lose it.</summary>
public sealed record RulePreview(IReadOnlyList<EndpointRecord> Gain, IReadOnlyList<EndpointRecord> Lose, int Keep);

public sealed partial class EmsStore
{
    public const int AuditKeep = 100_000;

    public AdminAccount? FindAdmin(string name)
    {
        using var connection = Database.Open();
        using var command = Command(connection, null, "SELECT name, password_hash, role, stamp, created_at FROM admin_accounts WHERE name = $n;", ("$n", name));
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadAdmin(reader) : null;
    }

    public IReadOnlyList<AdminAccount> ListAdmins()
    {
        using var connection = Database.Open();
        using var command = Command(connection, null, "SELECT name, password_hash, role, stamp, created_at FROM admin_accounts ORDER BY name;");
        using var reader = command.ExecuteReader();
        var list = new List<AdminAccount>();
        while (reader.Read())
            list.Add(ReadAdmin(reader));
        return list;
    }

    /// <summary>False when the name is taken.</summary>
    public bool AddAdmin(AdminAccount account) => WriteConsole((connection, tx) =>
        Exec(connection, tx, """
            INSERT INTO admin_accounts(name, password_hash, role, stamp, created_at) VALUES ($n, $h, $r, $s, $c)
            ON CONFLICT(name) DO NOTHING;
            """, ("$n", account.Name), ("$h", account.PasswordHash), ("$r", account.Role.ToText()), ("$s", account.Stamp),
            ("$c", account.Created.ToUnixTimeSeconds())) == 1);

    public bool UpdateAdmin(AdminAccount account) => WriteConsole((connection, tx) =>
        Exec(connection, tx, "UPDATE admin_accounts SET password_hash = $h, role = $r, stamp = $s WHERE name = $n;",
            ("$n", account.Name), ("$h", account.PasswordHash), ("$r", account.Role.ToText()), ("$s", account.Stamp)) == 1);

    public bool RemoveAdmin(string name) => WriteConsole((connection, tx) =>
        Exec(connection, tx, "DELETE FROM admin_accounts WHERE name = $n;", ("$n", name)) == 1);

    /// <summary>Appends one audit line; the oldest beyond <see cref="AuditKeep"/> go.</summary>
    public void AppendAudit(ConsoleAuditEntry entry) => WriteConsole((connection, tx) =>
    {
        Exec(connection, tx, "INSERT INTO admin_audit(at, actor, source, action, target, detail) VALUES ($at, $a, $s, $x, $t, $d);",
            ("$at", entry.At.ToUnixTimeSeconds()), ("$a", entry.Actor), ("$s", entry.Source), ("$x", entry.Action), ("$t", entry.Target), ("$d", entry.Detail));
        Exec(connection, tx, "DELETE FROM admin_audit WHERE id <= (SELECT MAX(id) FROM admin_audit) - $keep;", ("$keep", (long)AuditKeep));
        return true;
    });

    public IReadOnlyList<ConsoleAuditEntry> ReadAudit(int limit)
    {
        using var connection = Database.Open();
        using var command = Command(connection, null, "SELECT at, actor, source, action, target, detail FROM admin_audit ORDER BY id DESC LIMIT $l;", ("$l", (long)limit));
        using var reader = command.ExecuteReader();
        var list = new List<ConsoleAuditEntry>();
        while (reader.Read())
            list.Add(new ConsoleAuditEntry(DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(0)), reader.GetString(1), reader.GetString(2),
                reader.GetString(3), reader.GetString(4), reader.GetString(5)));
        return list;
    }

    /// <summary>Each tag the endpoint holds, with whether an admin assigned it and whether its rule did.</summary>
    public IReadOnlyList<EndpointTagSource> TagSources(string uid)
    {
        if (!EndpointUid.TryNormalize(uid, out var normalized))
            return [];
        using var connection = Database.Open();
        using var command = Command(connection, null, """
            SELECT t.name, t.type, t.expression, et.source FROM endpoint_tags et JOIN tags t ON t.name = et.tag
            WHERE et.uid = $u ORDER BY t.name, et.source;
            """, ("$u", normalized));
        using var reader = command.ExecuteReader();
        var byTag = new SortedDictionary<string, EndpointTagSource>(StringComparer.Ordinal);
        while (reader.Read())
        {
            var name = reader.GetString(0);
            var admin = reader.GetString(3) == "admin";
            var found = byTag.GetValueOrDefault(name)
                ?? new EndpointTagSource(name, reader.GetInt32(1), false, false, reader.IsDBNull(2) ? null : reader.GetString(2));
            byTag[name] = admin ? found with { ByAdmin = true } : found with { ByRule = true };
        }
        return [.. byTag.Values];
    }

    /// <summary>What saving <paramref name="expression"/> as the rule of <paramref name="tag"/> would do,
    /// without saving it: the endpoints that would gain the tag and those that would lose it
    /// (a tag an admin assigned stays). Null with <paramref name="error"/> when the rule does not parse.</summary>
    public RulePreview? PreviewRule(string tag, string expression, out string? error)
    {
        error = null;
        if (!RuleExpression.TryParse(expression, out var rule, out var parseError))
        {
            error = parseError.ToString();
            return null;
        }
        var gain = new List<EndpointRecord>();
        var lose = new List<EndpointRecord>();
        var keep = 0;
        var admin = AdminHolders(tag);
        foreach (var endpoint in ListEndpoints())
        {
            using var facts = JsonDocument.Parse(endpoint.Facts);
            var will = rule!.Evaluate(facts.RootElement, endpoint.RuleFields()) || admin.Contains(endpoint.Uid);
            var has = endpoint.Tags.Any(t => t.Name == tag);
            if (will && !has)
                gain.Add(endpoint);
            else if (!will && has)
                lose.Add(endpoint);
            else if (will)
                keep++;
        }
        return new RulePreview(gain, lose, keep);
    }

    private HashSet<string> AdminHolders(string tag)
    {
        using var connection = Database.Open();
        using var tx = Database.Dialect.BeginRead(connection);
        return Holders(connection, tx, tag, "admin");
    }

    private static AdminAccount ReadAdmin(DbDataReader reader)
    {
        AdminRoles.TryParse(reader.GetString(2), out var role);
        return new AdminAccount(reader.GetString(0), reader.GetString(1), role, reader.GetString(3), DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(4)));
    }

    /// <summary>One write transaction outside the change log: accounts and audit are not what gateways follow.</summary>
    private bool WriteConsole(Func<DbConnection, DbTransaction, bool> work)
    {
        using var connection = Database.Open();
        using var tx = Database.Dialect.BeginWrite(connection);
        var done = work(connection, tx);
        tx.Commit();
        return done;
    }
}
