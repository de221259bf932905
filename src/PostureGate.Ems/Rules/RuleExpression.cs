// A compiled tag rule. The language (grammar in RuleParser.cs):
//  - a path names a value in the endpoint's fact document: `os.build`, `av.running`. A missing
//    key, or a path through a non-object, is null. Built-ins shadow facts of the same name:
//    `registered` (true for every registered endpoint) and `endpoint.{uid,host,user,os,
//    os_version,fct_version,ip,public_ip}`.
//  - literals: numbers (`19045`, `-1.5`), strings ('x' or "x"), true, false, null.
//  - == and != compare any two values (different kinds are unequal); < <= > >= compare two
//    numbers, or two strings — as versions when both are dotted numbers ("10.0.19045"),
//    otherwise ordinally — and are false for anything else.
//  - and, or, not; a bare value counts as true only when it is the boolean true.
using System.Text.Json;

namespace PostureGate.Ems.Rules;

public sealed class RuleExpression
{
    private readonly RuleNode _root;

    private RuleExpression(string source, RuleNode root)
    {
        Source = source;
        _root = root;
    }

    public string Source { get; }

    /// <summary>Parses <paramref name="source"/>; on failure <paramref name="error"/> names the column.</summary>
    public static bool TryParse(string source, out RuleExpression? expression, out RuleError error)
    {
        expression = null;
        if (!RuleParser.TryParse(source, out var root, out error))
            return false;
        expression = new RuleExpression(source, root!);
        return true;
    }

    /// <summary>True when the endpoint whose facts are <paramref name="facts"/> satisfies the rule.</summary>
    public bool Evaluate(JsonElement facts, IReadOnlyDictionary<string, string?>? endpoint = null)
        => RuleEvaluator.IsTrue(RuleEvaluator.Evaluate(_root, new RuleFacts(facts, endpoint)));

    /// <summary>The values the rule read from this endpoint, path by path in the order written: the
    /// "why" the console shows beside a tag its rule gave.</summary>
    public IReadOnlyList<RuleFactUse> Explain(JsonElement facts, IReadOnlyDictionary<string, string?>? endpoint = null)
    {
        var used = new List<RuleFactUse>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var input = new RuleFacts(facts, endpoint);
        void Walk(RuleNode node)
        {
            switch (node)
            {
                case PathNode path when seen.Add(path.ToString()):
                    used.Add(new RuleFactUse(path.ToString(), RuleEvaluator.Evaluate(path, input).ToString()));
                    break;
                case NotNode not:
                    Walk(not.Operand);
                    break;
                case AndNode and:
                    Walk(and.Left);
                    Walk(and.Right);
                    break;
                case OrNode or:
                    Walk(or.Left);
                    Walk(or.Right);
                    break;
                case ComparisonNode cmp:
                    Walk(cmp.Left);
                    Walk(cmp.Right);
                    break;
            }
        }
        Walk(_root);
        return used;
    }

    public override string ToString() => Source;
}

/// <summary>One value a rule read: its path (`os.build`, `endpoint.host`) and the value, as the rule language writes it.</summary>
public sealed record RuleFactUse(string Path, string Value);

/// <summary>The values a rule can see: the fact document and the built-ins.</summary>
internal readonly record struct RuleFacts(JsonElement Facts, IReadOnlyDictionary<string, string?>? Endpoint);
