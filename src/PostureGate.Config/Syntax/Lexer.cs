// The FortiOS CLI script lexer. There is no published grammar; the rules follow
// what FortiOS prints in `show` output and accepts in restored backups:
//  1. a line is a command: blank-separated words, double-quoted strings with
//     backslash escapes (\" \\ \n \t);
//  2. '#' starting a token begins a comment to the end of the line (a backup
//     begins "#config-version=…");
//  3. indentation is free: spaces and tabs; CRLF and LF both end a line.
namespace PostureGate.Config.Syntax;

internal static class Lexer
{
    public static void Tokenize(string text, List<Token> tokens, List<LineTokens> lines, DiagnosticBag diagnostics)
    {
        var span = text.AsSpan();
        var pos = 0;
        var line = 0;
        while (pos < span.Length)
        {
            line++;
            var rest = span[pos..];
            var eol = rest.IndexOfAny('\n', '\r');
            var lineLength = eol < 0 ? rest.Length : eol;
            var lineStart = pos;
            var first = tokens.Count;
            TokenizeLine(text, lineStart, lineLength, line, tokens, diagnostics);
            if (tokens.Count > first)
                lines.Add(new LineTokens(first, tokens.Count - first, line));
            pos = lineStart + lineLength;
            // One line end: "\r\n", "\n" or a lone "\r".
            if (pos < span.Length && span[pos] == '\r')
                pos++;
            if (pos < span.Length && span[pos] == '\n')
                pos++;
        }
    }

    private static void TokenizeLine(string text, int start, int length, int line, List<Token> tokens, DiagnosticBag diagnostics)
    {
        var s = text.AsSpan(start, length);
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (c is ' ' or '\t')
            {
                i++;
                continue;
            }
            if (c == '#')
                return;
            var column = i + 1;
            if (c == '"')
            {
                var j = i + 1;
                var escapes = false;
                while (j < s.Length && s[j] != '"')
                {
                    if (s[j] == '\\' && j + 1 < s.Length)
                    {
                        escapes = true;
                        j++;
                    }
                    j++;
                }
                if (j >= s.Length)
                {
                    // Reported, then read as if closed at the end of the line so the block
                    // structure stays intact and no further errors cascade from it.
                    diagnostics.Error(line, column, "unterminated string", "add the closing '\"' on the same line");
                    tokens.Add(new Token(start + i + 1, s.Length - i - 1, line, column, TokenKind.Quoted, escapes));
                    return;
                }
                tokens.Add(new Token(start + i + 1, j - i - 1, line, column, TokenKind.Quoted, escapes));
                i = j + 1;
                continue;
            }
            var k = i;
            while (k < s.Length && s[k] is not (' ' or '\t'))
                k++;
            tokens.Add(new Token(start + i, k - i, line, column, TokenKind.Word, false));
            i = k;
        }
    }
}
