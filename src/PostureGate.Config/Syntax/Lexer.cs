// The FortiOS CLI script lexer. There is no published grammar; the rules follow
// what FortiOS prints in `show` output and accepts in restored backups:
//  1. a line is a command: blank-separated words, double-quoted strings with
//     backslash escapes (\" \\ \n \t);
//  2. a quoted string may span lines: FortiOS writes certificates and keys as
//     `set certificate "-----BEGIN …` with the PEM's line breaks inside the quotes;
//     the command then ends at the first line end after the closing quote;
//  3. '#' starting a token begins a comment to the end of the line (a backup
//     begins "#config-version=…");
//  4. indentation is free: spaces and tabs; CRLF, LF and a lone CR each end a line.
// Every token keeps the line and column of its first character, so positions stay
// right after a multi-line string.
namespace PostureGate.Config.Syntax;

internal static class Lexer
{
    public static void Tokenize(string text, List<Token> tokens, List<LineTokens> lines, DiagnosticBag diagnostics)
    {
        var s = text.AsSpan();
        var pos = 0;
        var line = 1;
        var lineStart = 0;
        var first = tokens.Count;
        while (pos < s.Length)
        {
            var c = s[pos];
            if (c is '\r' or '\n')
            {
                EndCommand(tokens, lines, ref first);
                pos += c == '\r' && pos + 1 < s.Length && s[pos + 1] == '\n' ? 2 : 1;
                line++;
                lineStart = pos;
                continue;
            }
            if (c is ' ' or '\t')
            {
                pos++;
                continue;
            }
            if (c == '#')
            {
                var rest = s[pos..].IndexOfAny('\r', '\n');
                pos = rest < 0 ? s.Length : pos + rest;
                continue;
            }
            var column = pos - lineStart + 1;
            if (c == '"')
            {
                pos = ReadQuoted(text, pos, column, ref line, ref lineStart, tokens, diagnostics);
                continue;
            }
            var end = pos;
            while (end < s.Length && s[end] is not (' ' or '\t' or '\r' or '\n'))
                end++;
            tokens.Add(new Token(pos, end - pos, line, column, TokenKind.Word, false));
            pos = end;
        }
        EndCommand(tokens, lines, ref first);
    }

    /// <summary>Reads a string from its opening quote at <paramref name="open"/>; returns the position after it.</summary>
    private static int ReadQuoted(string text, int open, int column, ref int line, ref int lineStart, List<Token> tokens, DiagnosticBag diagnostics)
    {
        var s = text.AsSpan();
        var startLine = line;
        var j = open + 1;
        var escapes = false;
        while (j < s.Length && s[j] != '"')
        {
            if (s[j] == '\\' && j + 1 < s.Length)
            {
                escapes = true;
                j++;
            }
            else if (s[j] == '\r')
            {
                // Read back without the CR of a CRLF file (Token.GetString).
                escapes = true;
            }
            j++;
        }
        if (j >= s.Length)
        {
            // Never closed: reported, then read as if closed at the end of its first line,
            // so one stray quote does not swallow the rest of the file.
            diagnostics.Error(startLine, column, "unterminated string", "add the closing '\"'");
            var eol = s[(open + 1)..].IndexOfAny('\r', '\n');
            var end = eol < 0 ? s.Length : open + 1 + eol;
            tokens.Add(new Token(open + 1, end - open - 1, startLine, column, TokenKind.Quoted, escapes));
            return end;
        }
        // Line breaks inside the string move the position on.
        for (var k = open + 1; k < j; k++)
        {
            if (s[k] == '\n' || (s[k] == '\r' && (k + 1 >= j || s[k + 1] != '\n')))
            {
                line++;
                lineStart = k + 1;
            }
        }
        tokens.Add(new Token(open + 1, j - open - 1, startLine, column, TokenKind.Quoted, escapes));
        return j + 1;
    }

    private static void EndCommand(List<Token> tokens, List<LineTokens> lines, ref int first)
    {
        if (tokens.Count > first)
            lines.Add(new LineTokens(first, tokens.Count - first, tokens[first].Line));
        first = tokens.Count;
    }
}
