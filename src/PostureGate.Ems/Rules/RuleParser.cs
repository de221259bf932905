// Tag rule language: a boolean expression over an endpoint's facts (see RuleExpression.cs).
//
//   expr       := or
//   or         := and ( "or" and )*
//   and        := unary ( "and" unary )*
//   unary      := "not" unary | comparison
//   comparison := operand ( ( "==" | "!=" | "<" | "<=" | ">" | ">=" ) operand )?
//   operand    := path | number | string | "true" | "false" | "null" | "(" expr ")"
//   path       := identifier ( "." identifier )*        identifier := [A-Za-z_][A-Za-z0-9_-]*
//
// Recursive descent; the first error stops the parse and names its column.
namespace PostureGate.Ems.Rules;

internal sealed class RuleParser
{
    public const int MaxLength = 4096;
    public const int MaxDepth = 64;

    private readonly List<RuleToken> _tokens;
    private int _position;
    private int _depth;
    private RuleError? _error;

    private RuleParser(List<RuleToken> tokens) => _tokens = tokens;

    public static bool TryParse(string source, out RuleNode? node, out RuleError error)
    {
        node = null;
        if (source.Length > MaxLength)
        {
            error = new RuleError(MaxLength + 1, $"expression longer than {MaxLength} characters");
            return false;
        }
        var tokens = new List<RuleToken>();
        if (!RuleLexer.TryTokenize(source, tokens, out error))
            return false;
        var parser = new RuleParser(tokens);
        var parsed = parser.ParseOr();
        if (parsed is not null && parser.Current.Kind != RuleTokenKind.End)
            parser.Fail(parser.Current, "expected 'and', 'or' or the end of the expression");
        if (parser._error is { } failure)
        {
            error = failure;
            return false;
        }
        node = parsed;
        return true;
    }

    private RuleToken Current => _tokens[_position];

    private RuleNode? ParseOr()
    {
        var left = ParseAnd();
        while (left is not null && Current.Kind == RuleTokenKind.Or)
        {
            var op = Advance();
            var right = ParseAnd();
            if (right is null)
                return null;
            left = new OrNode(op.Column, left, right);
        }
        return left;
    }

    private RuleNode? ParseAnd()
    {
        var left = ParseUnary();
        while (left is not null && Current.Kind == RuleTokenKind.And)
        {
            var op = Advance();
            var right = ParseUnary();
            if (right is null)
                return null;
            left = new AndNode(op.Column, left, right);
        }
        return left;
    }

    private RuleNode? ParseUnary()
    {
        if (Current.Kind != RuleTokenKind.Not)
            return ParseComparison();
        var not = Advance();
        if (!Enter(not))
            return null;
        var operand = ParseUnary();
        _depth--;
        return operand is null ? null : new NotNode(not.Column, operand);
    }

    private RuleNode? ParseComparison()
    {
        var left = ParseOperand();
        if (left is null || !TryComparison(Current.Kind, out var op))
            return left;
        var opToken = Advance();
        var right = ParseOperand();
        if (right is null)
            return null;
        if (TryComparison(Current.Kind, out _))
            return Fail(Current, "comparisons do not chain; join them with 'and'");
        return new ComparisonNode(opToken.Column, op, left, right);
    }

    private RuleNode? ParseOperand()
    {
        var token = Current;
        switch (token.Kind)
        {
            case RuleTokenKind.Number:
                Advance();
                return new LiteralNode(token.Column, RuleValue.FromNumber(token.Number));
            case RuleTokenKind.String:
                Advance();
                return new LiteralNode(token.Column, RuleValue.FromString(token.Text!));
            case RuleTokenKind.True:
                Advance();
                return new LiteralNode(token.Column, RuleValue.True);
            case RuleTokenKind.False:
                Advance();
                return new LiteralNode(token.Column, RuleValue.False);
            case RuleTokenKind.Null:
                Advance();
                return new LiteralNode(token.Column, RuleValue.Null);
            case RuleTokenKind.Identifier:
                return ParsePath();
            case RuleTokenKind.LeftParen:
                Advance();
                if (!Enter(token))
                    return null;
                var inner = ParseOr();
                _depth--;
                if (inner is null)
                    return null;
                if (Current.Kind != RuleTokenKind.RightParen)
                    return Fail(Current, $"expected ')' to close the '(' at column {token.Column}");
                Advance();
                return inner;
            case RuleTokenKind.End:
                return Fail(token, "expected a fact path, a literal or '(' but the expression ended");
            default:
                return Fail(token, $"expected a fact path, a literal or '(' but found {Describe(token)}");
        }
    }

    private RuleNode? ParsePath()
    {
        var first = Advance();
        var segments = new List<string> { first.Text! };
        while (Current.Kind == RuleTokenKind.Dot)
        {
            Advance();
            if (Current.Kind is not (RuleTokenKind.Identifier or RuleTokenKind.True or RuleTokenKind.False
                or RuleTokenKind.Null or RuleTokenKind.And or RuleTokenKind.Or or RuleTokenKind.Not))
                return Fail(Current, $"expected a name after '.' but found {Describe(Current)}");
            // After a dot a keyword is just a key name (e.g. `av.not`), never an operator.
            segments.Add(Advance().Text!);
        }
        return new PathNode(first.Column, segments);
    }

    private bool Enter(RuleToken token)
    {
        if (++_depth <= MaxDepth)
            return true;
        Fail(token, $"expression nested deeper than {MaxDepth} levels");
        return false;
    }

    private RuleToken Advance() => _tokens[_position < _tokens.Count - 1 ? _position++ : _position];

    private RuleNode? Fail(RuleToken at, string message)
    {
        _error ??= new RuleError(at.Column, message);
        return null;
    }

    private static bool TryComparison(RuleTokenKind kind, out ComparisonOperator op)
    {
        op = kind switch
        {
            RuleTokenKind.Equal => ComparisonOperator.Equal,
            RuleTokenKind.NotEqual => ComparisonOperator.NotEqual,
            RuleTokenKind.Less => ComparisonOperator.Less,
            RuleTokenKind.LessOrEqual => ComparisonOperator.LessOrEqual,
            RuleTokenKind.Greater => ComparisonOperator.Greater,
            RuleTokenKind.GreaterOrEqual => ComparisonOperator.GreaterOrEqual,
            _ => (ComparisonOperator)(-1),
        };
        return op >= 0;
    }

    private static string Describe(RuleToken token) => token.Kind switch
    {
        RuleTokenKind.End => "the end of the expression",
        RuleTokenKind.RightParen => "')'",
        RuleTokenKind.Dot => "'.'",
        RuleTokenKind.And => "'and'",
        RuleTokenKind.Or => "'or'",
        RuleTokenKind.Identifier => $"'{token.Text}'",
        RuleTokenKind.String => "a string",
        RuleTokenKind.Number => "a number",
        _ => $"'{token.Kind}'",
    };
}
