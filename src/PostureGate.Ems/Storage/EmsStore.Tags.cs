// Tags: definitions (with an optional rule), admin assignments, rule assignments. An endpoint's
// tags are the union of both sources. A tag operation diffs the tag's holders before and after
// and logs one endpoint.updated per endpoint whose tag list changed.
using System.Collections.Concurrent;
using System.Text.Json;
using System.Data.Common;
using PostureGate.Ems.Model;
using PostureGate.Ems.Rules;

namespace PostureGate.Ems.Storage;

public sealed partial class EmsStore
{
    // Rules are few and change rarely; reports evaluate them all, so keep them compiled.
    private static readonly ConcurrentDictionary<string, RuleExpression?> CompiledRules = new(StringComparer.Ordinal);

    public IReadOnlyList<TagDefinition> ListTags()
    {
        using var connection = Database.Open();
        using var command = Command(connection, null, "SELECT name, type, expression FROM tags ORDER BY name;");
        using var reader = command.ExecuteReader();
        var list = new List<TagDefinition>();
        while (reader.Read())
            list.Add(new TagDefinition(reader.GetString(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        return list;
    }

    /// <summary>Creates or retypes a tag (no rule change).</summary>
    public EmsResult DefineTag(string name, int type)
    {
        if (ValidateTag(name, type) is { } invalid)
            return invalid;
        return TagOperation(name, (connection, tx) =>
        {
            var existing = ReadTag(connection, tx, name);
            if (existing is not null && existing.Type == type)
                return null;
            Exec(connection, tx, "INSERT INTO tags(name, type) VALUES ($n, $t) ON CONFLICT(name) DO UPDATE SET type = excluded.type;", ("$n", name), ("$t", type));
            return ReadTag(connection, tx, name);
        });
    }

    /// <summary>Sets the rule of tag <paramref name="name"/> (creating it) and re-evaluates it on every endpoint.</summary>
    public EmsResult SetRule(string name, string expression, int? type = null)
    {
        if (ValidateTag(name, type ?? TagDefinition.DefaultType) is { } invalid)
            return invalid;
        if (!RuleExpression.TryParse(expression, out var rule, out var error))
            return EmsResult.Fail(EmsOutcome.Invalid, $"rule '{name}': {error}");
        return TagOperation(name, (connection, tx) =>
        {
            var existing = ReadTag(connection, tx, name);
            var newType = type ?? existing?.Type ?? TagDefinition.DefaultType;
            TagDefinition? changed = null;
            if (existing is null || existing.Type != newType || existing.Expression != expression)
            {
                Exec(connection, tx, """
                    INSERT INTO tags(name, type, expression) VALUES ($n, $t, $e)
                    ON CONFLICT(name) DO UPDATE SET type = excluded.type, expression = excluded.expression;
                    """, ("$n", name), ("$t", newType), ("$e", expression));
                changed = new TagDefinition(name, newType, expression);
            }
            EvaluateRuleEverywhere(connection, tx, name, rule!);
            return changed;
        });
    }

    /// <summary>Drops the rule of a tag; the tag and its admin assignments stay.</summary>
    public EmsResult RemoveRule(string name)
    {
        return TagOperation(name, (connection, tx) =>
        {
            if (ReadTag(connection, tx, name) is not { Expression: not null } tag)
                throw new StoreRejection(EmsOutcome.NotFound, $"tag '{name}' has no rule");
            Exec(connection, tx, "UPDATE tags SET expression = NULL WHERE name = $n;", ("$n", name));
            Exec(connection, tx, "DELETE FROM endpoint_tags WHERE tag = $n AND source = 'rule';", ("$n", name));
            return tag with { Expression = null };
        });
    }

    /// <summary>Deletes a tag, its rule and every assignment.</summary>
    public EmsResult DeleteTag(string name)
    {
        return TagOperation(name, (connection, tx) =>
        {
            if (ReadTag(connection, tx, name) is null)
                throw new StoreRejection(EmsOutcome.NotFound, $"no tag '{name}'");
            Exec(connection, tx, "DELETE FROM tags WHERE name = $n;", ("$n", name));
            return null;
        }, deleted: true);
    }

    /// <summary>Admin assignment (`pgate ems tag add TAG UID`); creates the tag with the default type if new.</summary>
    public EmsResult AssignTag(string tag, string uid)
    {
        if (ValidateTag(tag, TagDefinition.DefaultType) is { } invalid)
            return invalid;
        if (!EndpointUid.TryNormalize(uid, out var normalized))
            return EmsResult.Fail(EmsOutcome.Invalid, "uid must be 32 hexadecimal digits");
        return TagOperation(tag, (connection, tx) =>
        {
            if (ReadEndpoint(connection, tx, normalized) is null)
                throw new StoreRejection(EmsOutcome.NotFound, $"endpoint {normalized} is not registered");
            TagDefinition? created = null;
            if (ReadTag(connection, tx, tag) is null)
            {
                Exec(connection, tx, "INSERT INTO tags(name, type) VALUES ($n, $t);", ("$n", tag), ("$t", TagDefinition.DefaultType));
                created = new TagDefinition(tag, TagDefinition.DefaultType, null);
            }
            Exec(connection, tx, "INSERT INTO endpoint_tags(uid, tag, source) VALUES ($u, $n, 'admin') ON CONFLICT DO NOTHING;", ("$u", normalized), ("$n", tag));
            return created;
        });
    }

    /// <summary>Removes an admin assignment; a rule's assignment can only go by changing the rule.</summary>
    public EmsResult UnassignTag(string tag, string uid)
    {
        if (!EndpointUid.TryNormalize(uid, out var normalized))
            return EmsResult.Fail(EmsOutcome.Invalid, "uid must be 32 hexadecimal digits");
        return TagOperation(tag, (connection, tx) =>
        {
            var removed = Exec(connection, tx, "DELETE FROM endpoint_tags WHERE uid = $u AND tag = $n AND source = 'admin';", ("$u", normalized), ("$n", tag));
            if (removed == 0)
            {
                using var byRule = Command(connection, tx, "SELECT 1 FROM endpoint_tags WHERE uid = $u AND tag = $n AND source = 'rule';", ("$u", normalized), ("$n", tag));
                if (byRule.ExecuteScalar() is not null)
                    throw new StoreRejection(EmsOutcome.Conflict, $"tag '{tag}' on {normalized} comes from its rule; change the rule instead");
                throw new StoreRejection(EmsOutcome.NotFound, $"tag '{tag}' is not assigned to {normalized}");
            }
            return null;
        });
    }

    /// <summary>Recomputes the rule-sourced tags of one endpoint (after a report).</summary>
    private static void ApplyRules(DbConnection connection, DbTransaction tx, EndpointRecord endpoint)
    {
        var rules = new List<(string Name, string Expression)>();
        using (var command = Command(connection, tx, "SELECT name, expression FROM tags WHERE expression IS NOT NULL;"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
                rules.Add((reader.GetString(0), reader.GetString(1)));
        }
        var desired = RuleTagsOf(endpoint, rules);
        var current = new HashSet<string>(StringComparer.Ordinal);
        using (var command = Command(connection, tx, "SELECT tag FROM endpoint_tags WHERE uid = $u AND source = 'rule';", ("$u", endpoint.Uid)))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
                current.Add(reader.GetString(0));
        }
        foreach (var name in current.Except(desired))
            Exec(connection, tx, "DELETE FROM endpoint_tags WHERE uid = $u AND tag = $n AND source = 'rule';", ("$u", endpoint.Uid), ("$n", name));
        foreach (var name in desired.Except(current))
            Exec(connection, tx, "INSERT INTO endpoint_tags(uid, tag, source) VALUES ($u, $n, 'rule');", ("$u", endpoint.Uid), ("$n", name));
    }

    /// <summary>The names of the rules (name, expression) that <paramref name="endpoint"/>'s facts and fields satisfy.</summary>
    private static HashSet<string> RuleTagsOf(EndpointRecord endpoint, IEnumerable<(string Name, string Expression)> rules)
    {
        using var facts = JsonDocument.Parse(endpoint.Facts);
        var fields = endpoint.RuleFields();
        var desired = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, expression) in rules)
        {
            if (Compile(expression) is { } rule && rule.Evaluate(facts.RootElement, fields))
                desired.Add(name);
        }
        return desired;
    }

    /// <summary>Recomputes one rule's assignments on every endpoint (after the rule changed).</summary>
    private static void EvaluateRuleEverywhere(DbConnection connection, DbTransaction tx, string name, RuleExpression rule)
    {
        var desired = new HashSet<string>(StringComparer.Ordinal);
        using (var command = Command(connection, tx, $"SELECT {EndpointColumns} FROM endpoints;"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var endpoint = ReadRow(reader, []);
                using var facts = JsonDocument.Parse(endpoint.Facts);
                if (rule.Evaluate(facts.RootElement, endpoint.RuleFields()))
                    desired.Add(endpoint.Uid);
            }
        }
        var current = Holders(connection, tx, name, "rule");
        foreach (var uid in current.Except(desired))
            Exec(connection, tx, "DELETE FROM endpoint_tags WHERE uid = $u AND tag = $n AND source = 'rule';", ("$u", uid), ("$n", name));
        foreach (var uid in desired.Except(current))
            Exec(connection, tx, "INSERT INTO endpoint_tags(uid, tag, source) VALUES ($u, $n, 'rule');", ("$u", uid), ("$n", name));
    }

    /// <summary>Runs <paramref name="step"/> (which returns the tag's new definition when that changed)
    /// and logs the definition and every endpoint whose tag list moved.</summary>
    private EmsResult TagOperation(string tag, Func<DbConnection, DbTransaction, TagDefinition?> step, bool deleted = false)
    {
        var now = Now;
        return Write((connection, tx) =>
        {
            var typeBefore = ReadTag(connection, tx, tag)?.Type;
            var before = Holders(connection, tx, tag, null);
            TagDefinition? definition;
            try
            {
                definition = step(connection, tx);
            }
            catch (StoreRejection rejection)
            {
                return EmsResult.Fail(rejection.Outcome, rejection.Message);
            }
            var typeAfter = ReadTag(connection, tx, tag)?.Type;
            var after = Holders(connection, tx, tag, null);
            var moved = new SortedSet<string>(before, StringComparer.Ordinal);
            moved.SymmetricExceptWith(after);
            if (typeBefore is not null && typeAfter is not null && typeBefore != typeAfter)
                moved.UnionWith(before.Intersect(after));
            long version = 0;
            if (deleted)
                version = AppendChange(connection, tx, now, ChangeKinds.TagDeleted, tag, JsonSerializer.Serialize(new { name = tag }));
            else if (definition is not null)
                version = AppendChange(connection, tx, now, ChangeKinds.TagDefined, tag, JsonSerializer.Serialize(new { name = definition.Name, type = definition.Type, expression = definition.Expression }));
            foreach (var uid in moved)
            {
                var endpoint = ReadEndpoint(connection, tx, uid)!;
                version = AppendChange(connection, tx, now, ChangeKinds.EndpointUpdated, uid, EndpointJson.ToJson(endpoint, now, OnlineSeconds, includeFacts: false));
            }
            return version == 0
                ? new EmsResult(EmsOutcome.Unchanged, null, ReadVersion(connection, tx))
                : new EmsResult(EmsOutcome.Ok, null, version);
        });
    }

    internal static RuleExpression? Compile(string expression)
        => CompiledRules.GetOrAdd(expression, static e => RuleExpression.TryParse(e, out var rule, out _) ? rule : null);

    private static TagDefinition? ReadTag(DbConnection connection, DbTransaction tx, string name)
    {
        using var command = Command(connection, tx, "SELECT name, type, expression FROM tags WHERE name = $n;", ("$n", name));
        using var reader = command.ExecuteReader();
        return reader.Read() ? new TagDefinition(reader.GetString(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2)) : null;
    }

    private static HashSet<string> Holders(DbConnection connection, DbTransaction tx, string tag, string? source)
    {
        using var command = source is null
            ? Command(connection, tx, "SELECT DISTINCT uid FROM endpoint_tags WHERE tag = $n;", ("$n", tag))
            : Command(connection, tx, "SELECT uid FROM endpoint_tags WHERE tag = $n AND source = $s;", ("$n", tag), ("$s", source));
        using var reader = command.ExecuteReader();
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read())
            set.Add(reader.GetString(0));
        return set;
    }

    private static int Exec(DbConnection connection, DbTransaction tx, string sql, params (string, object?)[] parameters)
    {
        using var command = Command(connection, tx, sql, parameters);
        return command.ExecuteNonQuery();
    }

    private static EmsResult? ValidateTag(string name, int type)
    {
        if (!TagDefinition.IsValidName(name))
            return EmsResult.Fail(EmsOutcome.Invalid, $"tag name must be 1-{TagDefinition.MaxNameLength} letters, digits, '_', '-' or '.'");
        if (!TagDefinition.IsValidType(type))
            return EmsResult.Fail(EmsOutcome.Invalid, $"tag type must be 0-{TagDefinition.MaxType}");
        return null;
    }

    /// <summary>A step refusing the operation; caught in <see cref="TagOperation"/>, rolled back.</summary>
    private sealed class StoreRejection(EmsOutcome outcome, string message) : Exception(message)
    {
        public EmsOutcome Outcome { get; } = outcome;
    }
}
