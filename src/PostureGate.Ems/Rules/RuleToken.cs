// The tokens of the EMS tag rule language (grammar in RuleParser.cs) — PostureGate's own.
namespace PostureGate.Ems.Rules;

internal enum RuleTokenKind
{
    End,
    Identifier,
    Dot,
    Number,
    String,
    True,
    False,
    Null,
    And,
    Or,
    Not,
    LeftParen,
    RightParen,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

/// <summary>One lexeme; <see cref="Start"/> is a 0-based offset into the source.</summary>
internal readonly record struct RuleToken(RuleTokenKind Kind, int Start, int Length, string? Text = null, double Number = 0)
{
    public int Column => Start + 1;
}
