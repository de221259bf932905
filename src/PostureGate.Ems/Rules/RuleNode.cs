// The syntax tree of an EMS tag rule (literals, fact paths, not/and/or, comparisons), each node with its column — PostureGate's own.
namespace PostureGate.Ems.Rules;

/// <summary>The parsed form of a tag rule; every node keeps the column it came from.</summary>
internal abstract record RuleNode(int Column);

internal sealed record LiteralNode(int Column, RuleValue Value) : RuleNode(Column);

/// <summary>A dotted path into the endpoint's fact document, e.g. <c>os.build</c>.</summary>
internal sealed record PathNode(int Column, IReadOnlyList<string> Segments) : RuleNode(Column)
{
    public override string ToString() => string.Join('.', Segments);
}

internal sealed record NotNode(int Column, RuleNode Operand) : RuleNode(Column);

internal sealed record AndNode(int Column, RuleNode Left, RuleNode Right) : RuleNode(Column);

internal sealed record OrNode(int Column, RuleNode Left, RuleNode Right) : RuleNode(Column);

internal enum ComparisonOperator { Equal, NotEqual, Less, LessOrEqual, Greater, GreaterOrEqual }

internal sealed record ComparisonNode(int Column, ComparisonOperator Operator, RuleNode Left, RuleNode Right) : RuleNode(Column);
