// A FortiOS CLI token (bare word or double-quoted string) as a slice of the source text, with its line and column.
namespace PostureGate.Config.Syntax;

internal enum TokenKind : byte
{
    /// <summary>A bare word: everything up to the next blank.</summary>
    Word,
    /// <summary>A double-quoted string; Start/Length cover the text between the quotes.</summary>
    Quoted,
}

/// <summary>
/// A slice of the source text, never a copied string: the binder materialises
/// strings only for values it keeps, so a 200,000-line file costs little.
/// </summary>
internal readonly record struct Token(int Start, int Length, int Line, int Column, TokenKind Kind, bool HasEscapes)
{
    public ReadOnlySpan<char> Raw(string text) => text.AsSpan(Start, Length);

    /// <summary>The value as the user meant it: quotes removed, backslash escapes resolved, line breaks inside as LF.</summary>
    public string GetString(string text) => HasEscapes ? Unescape(Raw(text)) : text.Substring(Start, Length);

    /// <summary>
    /// The token in an error message: a string in double quotes, a word in single quotes; the line
    /// breaks of a multi-line string shown as \n, so a diagnostic stays one line.
    /// </summary>
    public string Display(string text)
    {
        var raw = text.AsSpan(Start, Length);
        var shown = raw.IndexOfAny('\r', '\n') < 0 ? raw.ToString() : raw.ToString().Replace("\r", "", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
        return Kind == TokenKind.Quoted ? $"\"{shown}\"" : $"'{shown}'";
    }

    /// <summary>The token as written (an edit name in "edit …" messages).</summary>
    public string Source(string text) => Kind == TokenKind.Quoted ? $"\"{text.AsSpan(Start, Length)}\"" : text.Substring(Start, Length);

    private static string Unescape(ReadOnlySpan<char> raw)
    {
        var sb = new System.Text.StringBuilder(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c == '\r')
            {
                // A CRLF (or lone CR) line break inside a multi-line string reads as one LF.
                if (i + 1 < raw.Length && raw[i + 1] == '\n')
                    continue;
                c = '\n';
            }
            else if (c == '\\' && i + 1 < raw.Length)
            {
                c = raw[++i] switch
                {
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    var other => other,
                };
            }
            sb.Append(c);
        }
        return sb.ToString();
    }
}
