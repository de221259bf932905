// Evaluates a parsed EMS tag rule against an endpoint's facts, total over all inputs — PostureGate's own rule language (RuleParser.cs).
using System.Text.Json;

namespace PostureGate.Ems.Rules;

/// <summary>Evaluates a parsed rule; total over all inputs (never throws on odd facts).</summary>
internal static class RuleEvaluator
{
    public static RuleValue Evaluate(RuleNode node, in RuleFacts facts) => node switch
    {
        LiteralNode literal => literal.Value,
        PathNode path => Resolve(path.Segments, facts),
        NotNode not => RuleValue.FromBoolean(!IsTrue(Evaluate(not.Operand, facts))),
        AndNode and => RuleValue.FromBoolean(IsTrue(Evaluate(and.Left, facts)) && IsTrue(Evaluate(and.Right, facts))),
        OrNode or => RuleValue.FromBoolean(IsTrue(Evaluate(or.Left, facts)) || IsTrue(Evaluate(or.Right, facts))),
        ComparisonNode cmp => RuleValue.FromBoolean(Compare(cmp.Operator, Evaluate(cmp.Left, facts), Evaluate(cmp.Right, facts))),
        _ => RuleValue.Null,
    };

    public static bool IsTrue(RuleValue value) => value.Kind == RuleValueKind.Boolean && value.Boolean;

    private static RuleValue Resolve(IReadOnlyList<string> segments, in RuleFacts facts)
    {
        // Built-ins first so a client cannot claim `registered` through its facts.
        if (segments[0] == "registered" && segments.Count == 1)
            return RuleValue.True;
        if (segments[0] == "endpoint")
        {
            if (segments.Count == 2 && facts.Endpoint is { } endpoint && endpoint.TryGetValue(segments[1], out var field))
                return field is null ? RuleValue.Null : RuleValue.FromString(field);
            return RuleValue.Null;
        }
        var element = facts.Facts;
        foreach (var segment in segments)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(segment, out element))
                return RuleValue.Null;
        }
        return RuleValue.FromJson(element);
    }

    private static bool Compare(ComparisonOperator op, RuleValue left, RuleValue right)
    {
        if (op is ComparisonOperator.Equal or ComparisonOperator.NotEqual)
            return Equal(left, right) == (op == ComparisonOperator.Equal);
        int order;
        if (left.Kind == RuleValueKind.Number && right.Kind == RuleValueKind.Number)
        {
            if (double.IsNaN(left.Number) || double.IsNaN(right.Number))
                return false;
            order = left.Number.CompareTo(right.Number);
        }
        else if (left.Kind == RuleValueKind.String && right.Kind == RuleValueKind.String)
        {
            order = Version.TryParse(left.Text, out var lv) && Version.TryParse(right.Text, out var rv)
                ? lv.CompareTo(rv)
                : string.CompareOrdinal(left.Text, right.Text);
        }
        else
        {
            return false;
        }
        return op switch
        {
            ComparisonOperator.Less => order < 0,
            ComparisonOperator.LessOrEqual => order <= 0,
            ComparisonOperator.Greater => order > 0,
            _ => order >= 0,
        };
    }

    private static bool Equal(RuleValue left, RuleValue right)
    {
        if (left.Kind != right.Kind)
            return false;
        return left.Kind switch
        {
            RuleValueKind.Null => true,
            RuleValueKind.Boolean => left.Boolean == right.Boolean,
            RuleValueKind.Number => left.Number == right.Number,
            RuleValueKind.String => string.Equals(left.Text, right.Text, StringComparison.Ordinal),
            _ => false,
        };
    }
}
