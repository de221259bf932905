// The FortiOS CLI block structure, as FortiOS prints it in `show full-configuration`:
//   config <path words>            (table or settings section)
//       edit <name|id>             (table entry)
//           set <attr> <value>…    / unset <attr> / append <attr> <value>…
//           config <sub> … end     (nested table)
//       next
//   end
// Each line is one command. A mistake is reported at its token and parsing
// resumes at the next line, so one run reports every mistake.
namespace PostureGate.Config.Syntax;

internal sealed class Parser
{
    private static readonly string[] Commands = ["config", "edit", "next", "end", "set", "unset", "append"];

    private readonly string _text;
    private readonly List<Token> _tokens;
    private readonly DiagnosticBag _diagnostics;
    private readonly List<ConfigBlockSyntax> _blocks = [];
    // Open frames, innermost last: a ConfigBlockSyntax or an EditSyntax.
    private readonly List<object> _stack = [];

    private Parser(string text, List<Token> tokens, DiagnosticBag diagnostics)
    {
        _text = text;
        _tokens = tokens;
        _diagnostics = diagnostics;
    }

    public static DocumentSyntax Parse(string text, string fileName, DiagnosticBag diagnostics)
    {
        // Roughly 3 tokens per 30 characters of configuration; avoids regrowing on big files.
        var tokens = new List<Token>(text.Length / 10 + 16);
        var lines = new List<LineTokens>(text.Length / 30 + 16);
        Lexer.Tokenize(text, tokens, lines, diagnostics);
        var parser = new Parser(text, tokens, diagnostics);
        foreach (var line in lines)
            parser.ParseLine(line);
        parser.CloseAtEndOfFile();
        return new DocumentSyntax(fileName, text, tokens, parser._blocks);
    }

    private void ParseLine(LineTokens line)
    {
        var head = _tokens[line.First];
        var command = head.Kind == TokenKind.Word ? head.Raw(_text) : default;
        switch (command)
        {
            case "config":
                ParseConfig(line, head);
                break;
            case "edit":
                ParseEdit(line, head);
                break;
            case "next":
                NoArguments(line, "next");
                if (Top is EditSyntax)
                    Pop();
                else
                    Error(head, "'next' outside an 'edit'");
                break;
            case "end":
                NoArguments(line, "end");
                if (Top is EditSyntax edit)
                {
                    Error(head, $"missing 'next' for 'edit {edit.Name.Source(_text)}' before 'end'");
                    Pop();
                }
                if (Top is ConfigBlockSyntax closed)
                {
                    closed.End = head;
                    Pop();
                }
                else
                    Error(head, "'end' without 'config'");
                break;
            case "set":
                ParseStatement(line, head, StatementVerb.Set);
                break;
            case "unset":
                ParseStatement(line, head, StatementVerb.Unset);
                break;
            case "append":
                ParseStatement(line, head, StatementVerb.Append);
                break;
            default:
                Error(head, $"unknown command {head.Display(_text)}; expected config, edit, set, unset, append, next or end",
                    NameSuggester.Hint(head.Raw(_text), Commands));
                break;
        }
    }

    private void ParseConfig(LineTokens line, Token head)
    {
        if (line.Count < 2)
        {
            Error(head, "'config' needs a path, e.g. 'config vpn ipsec phase1-interface'");
            return;
        }
        var block = new ConfigBlockSyntax(head, line.First + 1, line.Count - 1);
        switch (Top)
        {
            case null:
                _blocks.Add(block);
                break;
            case EditSyntax edit:
                edit.SubBlocks.Add(block);
                break;
            case ConfigBlockSyntax parent:
                parent.SubBlocks.Add(block);
                break;
        }
        _stack.Add(block);
    }

    private void ParseEdit(LineTokens line, Token head)
    {
        if (Top is EditSyntax open)
        {
            Error(head, $"missing 'next' for 'edit {open.Name.Source(_text)}' before this 'edit'");
            Pop();
        }
        if (Top is not ConfigBlockSyntax block)
        {
            Error(head, "'edit' outside a 'config' block");
            return;
        }
        var valid = true;
        if (line.Count < 2)
        {
            Error(head, "'edit' needs a name or number");
            valid = false;
        }
        else if (line.Count > 2)
        {
            var stray = _tokens[line.First + 2];
            Error(stray, $"unexpected {stray.Display(_text)} after the entry name", "quote names that contain blanks");
            valid = false;
        }
        var edit = new EditSyntax(head, _tokens[line.First + (line.Count < 2 ? 0 : 1)]);
        // A broken edit still opens a frame, so its statements and 'next' are consumed
        // quietly instead of cascading into more errors; it is just never applied.
        if (valid)
            block.Edits.Add(edit);
        _stack.Add(edit);
    }

    private void ParseStatement(LineTokens line, Token head, StatementVerb verb)
    {
        if (line.Count < 2)
        {
            Error(head, $"'{head.Raw(_text)}' needs an attribute name");
            return;
        }
        var statement = new StatementSyntax(verb, head, _tokens[line.First + 1], line.First + 2, line.Count - 2);
        switch (Top)
        {
            case EditSyntax edit:
                edit.Statements.Add(statement);
                break;
            case ConfigBlockSyntax block:
                block.Statements.Add(statement);
                break;
            default:
                Error(head, $"'{head.Raw(_text)}' outside a 'config' block");
                break;
        }
    }

    private void NoArguments(LineTokens line, string command)
    {
        if (line.Count > 1)
        {
            var stray = _tokens[line.First + 1];
            Error(stray, $"unexpected {stray.Display(_text)} after '{command}'");
        }
    }

    private void CloseAtEndOfFile()
    {
        for (var i = _stack.Count - 1; i >= 0; i--)
        {
            switch (_stack[i])
            {
                case EditSyntax edit:
                    Error(edit.Keyword, $"missing 'next' for 'edit {edit.Name.Source(_text)}'");
                    break;
                case ConfigBlockSyntax block:
                    Error(block.Keyword, $"missing 'end' for 'config {PathText(block)}'");
                    break;
            }
        }
        _stack.Clear();
    }

    private string PathText(ConfigBlockSyntax block)
    {
        var first = _tokens[block.PathStart];
        var last = _tokens[block.PathStart + block.PathCount - 1];
        return _text[first.Start..(last.Start + last.Length)];
    }

    private object? Top => _stack.Count == 0 ? null : _stack[^1];

    private void Pop() => _stack.RemoveAt(_stack.Count - 1);

    private void Error(Token at, string message, string? hint = null) => _diagnostics.Error(at.Line, at.Column, message, hint);
}
