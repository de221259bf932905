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

    public override string ToString() => Source;
}

/// <summary>The values a rule can see: the fact document and the built-ins.</summary>
internal readonly record struct RuleFacts(JsonElement Facts, IReadOnlyDictionary<string, string?>? Endpoint);
