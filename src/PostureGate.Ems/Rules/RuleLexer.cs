// Lexer for the tag rule language (grammar in RuleParser.cs). Hand-written over a span;
// on bad input it reports the column and stops: nothing here throws.
using System.Globalization;
using System.Text;

namespace PostureGate.Ems.Rules;

internal static class RuleLexer
{
    public static bool TryTokenize(string source, List<RuleToken> tokens, out RuleError error)
    {
        var s = source.AsSpan();
        var i = 0;
        while (true)
        {
            while (i < s.Length && char.IsWhiteSpace(s[i]))
                i++;
            if (i == s.Length)
            {
                tokens.Add(new RuleToken(RuleTokenKind.End, i, 0));
                error = default;
                return true;
            }
            var c = s[i];
            var start = i;
            if (IsIdentifierStart(c))
            {
                while (i < s.Length && IsIdentifierPart(s[i]))
                    i++;
                var word = s[start..i].ToString();
                var kind = word switch
                {
                    "and" => RuleTokenKind.And,
                    "or" => RuleTokenKind.Or,
                    "not" => RuleTokenKind.Not,
                    "true" => RuleTokenKind.True,
                    "false" => RuleTokenKind.False,
                    "null" => RuleTokenKind.Null,
                    _ => RuleTokenKind.Identifier,
                };
                tokens.Add(new RuleToken(kind, start, i - start, word));
                continue;
            }
            if (char.IsAsciiDigit(c) || (c == '-' && i + 1 < s.Length && char.IsAsciiDigit(s[i + 1])))
            {
                i++;
                while (i < s.Length && char.IsAsciiDigit(s[i]))
                    i++;
                if (i + 1 < s.Length && s[i] == '.' && char.IsAsciiDigit(s[i + 1]))
                {
                    i++;
                    while (i < s.Length && char.IsAsciiDigit(s[i]))
                        i++;
                }
                if (i < s.Length && IsIdentifierPart(s[i]))
                {
                    error = new RuleError(i + 1, $"unexpected '{s[i]}' after number");
                    return false;
                }
                var value = double.Parse(s[start..i], NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
                tokens.Add(new RuleToken(RuleTokenKind.Number, start, i - start, Number: value));
                continue;
            }
            if (c is '"' or '\'')
            {
                if (!TryReadString(s, ref i, out var text, out error))
                    return false;
                tokens.Add(new RuleToken(RuleTokenKind.String, start, i - start, text));
                continue;
            }
            RuleTokenKind op;
            var width = 1;
            switch (c)
            {
                case '.': op = RuleTokenKind.Dot; break;
                case '(': op = RuleTokenKind.LeftParen; break;
                case ')': op = RuleTokenKind.RightParen; break;
                case '=' when Next(s, i) == '=': op = RuleTokenKind.Equal; width = 2; break;
                case '!' when Next(s, i) == '=': op = RuleTokenKind.NotEqual; width = 2; break;
                case '<' when Next(s, i) == '=': op = RuleTokenKind.LessOrEqual; width = 2; break;
                case '<': op = RuleTokenKind.Less; break;
                case '>' when Next(s, i) == '=': op = RuleTokenKind.GreaterOrEqual; width = 2; break;
                case '>': op = RuleTokenKind.Greater; break;
                case '=':
                    error = new RuleError(i + 1, "'=' is not an operator; use '==' to compare");
                    return false;
                default:
                    error = new RuleError(i + 1, $"unexpected character '{c}'");
                    return false;
            }
            tokens.Add(new RuleToken(op, start, width));
            i += width;
        }
    }

    private static char Next(ReadOnlySpan<char> s, int i) => i + 1 < s.Length ? s[i + 1] : '\0';

    internal static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c == '_';

    internal static bool IsIdentifierPart(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-';

    /// <summary>Quoted with ' or "; escapes \\, \' and \" only.</summary>
    private static bool TryReadString(ReadOnlySpan<char> s, ref int i, out string text, out RuleError error)
    {
        var quote = s[i];
        var start = i;
        var sb = new StringBuilder();
        i++;
        while (i < s.Length)
        {
            var c = s[i];
            if (c == quote)
            {
                i++;
                text = sb.ToString();
                error = default;
                return true;
            }
            if (c == '\\')
            {
                if (i + 1 < s.Length && s[i + 1] is '\\' or '"' or '\'')
                {
                    sb.Append(s[i + 1]);
                    i += 2;
                    continue;
                }
                text = "";
                error = new RuleError(i + 1, "unknown escape in string (only \\\\, \\\" and \\' are allowed)");
                return false;
            }
            sb.Append(c);
            i++;
        }
        text = "";
        error = new RuleError(start + 1, "string is not closed");
        return false;
    }
}
