// Schema checks over the syntax tree: known paths and attributes (with
// "did you mean" hints), typed values, table-vs-section shape, entry names and
// ids. A second `edit` of an existing entry merges into it, as FortiOS does
// (its `set`s override, its `unset`s restore defaults). Produces a
// BoundDocument; it never throws on bad input.
using System.Globalization;
using PostureGate.Config.Schema;
using PostureGate.Config.Secrets;
using PostureGate.Config.Syntax;

namespace PostureGate.Config.Binding;

internal sealed class Binder
{
    private readonly DocumentSyntax _doc;
    private readonly DiagnosticBag _diagnostics;
    private readonly BoundDocument _bound = new();
    private readonly ConfigKeyFile? _keyFile;
    private ConfigKey? _key;
    private string? _keyError;

    private Binder(DocumentSyntax doc, DiagnosticBag diagnostics, ConfigKeyFile? keyFile)
    {
        _doc = doc;
        _diagnostics = diagnostics;
        _keyFile = keyFile;
    }

    /// <summary>Binds the syntax tree; <paramref name="keyFile"/> opens <c>ENC</c> secrets (read only when one appears).</summary>
    public static BoundDocument Bind(DocumentSyntax doc, DiagnosticBag diagnostics, ConfigKeyFile? keyFile = null)
    {
        var binder = new Binder(doc, diagnostics, keyFile);
        try
        {
            foreach (var block in doc.Blocks)
                binder.BindBlock(block);
        }
        finally
        {
            binder._key?.Dispose();
        }
        return binder._bound;
    }

    private void BindBlock(ConfigBlockSyntax block)
    {
        var path = _doc.PathOf(block);
        var schema = ConfigSchema.Find(path);
        var pathToken = _doc.Tokens[block.PathStart];
        if (schema is null)
        {
            Error(pathToken, $"unknown configuration path '{path}'", NameSuggester.Hint(path, ConfigSchema.Paths));
            return;
        }
        if (schema.IsTable)
        {
            foreach (var sub in block.SubBlocks)
                Error(_doc.Tokens[sub.PathStart], $"'config {_doc.PathOf(sub)}' is not part of '{path}'");
        }
        if (schema.IsTable)
        {
            foreach (var s in block.Statements)
                Error(s.Keyword, $"'{path}' is a table: '{Word(s.Keyword)}' belongs inside 'edit' … 'next'");
            var table = _bound[schema];
            foreach (var edit in block.Edits)
                BindEdit(schema, table, edit);
        }
        else
        {
            foreach (var e in block.Edits)
                Error(e.Keyword, $"'{path}' is not a table: use 'set' directly, without 'edit'");
            var entry = _bound[schema].Entries.Count == 0 ? null : _bound[schema].Entries[0];
            if (entry is null)
            {
                entry = new BoundEntry(schema, null, Span(block.Keyword), _doc);
                _bound[schema].Add(entry);
            }
            foreach (var s in block.Statements)
                BindStatement(entry, s);
            BindSubTables(entry, block.SubBlocks);
        }
    }

    private void BindEdit(TableSchema schema, BoundTable table, EditSyntax edit)
    {
        var nameToken = edit.Name;
        var name = nameToken.GetString(_doc.Text);
        if (schema.IsNumbered)
        {
            if (!long.TryParse(nameToken.Raw(_doc.Text), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                || id < schema.MinKey || id > schema.MaxKey)
            {
                Error(nameToken, $"'{schema.Path}' entries are numbered {schema.MinKey}-{schema.MaxKey}, not {nameToken.Display(_doc.Text)}");
                return;
            }
            name = id.ToString(CultureInfo.InvariantCulture);
        }
        else if (name.Length == 0 || name.Length > schema.MaxNameLength)
        {
            Error(nameToken, $"'{schema.Path}' names must be 1-{schema.MaxNameLength} characters: {nameToken.Display(_doc.Text)}");
            return;
        }
        var entry = table.Find(name);
        if (entry is null)
        {
            entry = new BoundEntry(schema, name, Span(edit.Keyword), _doc);
            table.Add(entry);
        }
        foreach (var s in edit.Statements)
            BindStatement(entry, s);
        BindSubTables(entry, edit.SubBlocks);
    }

    /// <summary>Nested <c>config … end</c>: a FortiOS sub-table is kept as written (with a warning); any other is an error.</summary>
    private void BindSubTables(BoundEntry entry, List<ConfigBlockSyntax> subs)
    {
        foreach (var sub in subs)
        {
            var path = _doc.PathOf(sub);
            var at = _doc.Tokens[sub.PathStart];
            if (!FortiOsAttributes.IsTable(entry.Table, path))
            {
                Error(at, $"'config {path}' is not part of '{entry.Table.Path}'", NameSuggester.Hint(path, FortiOsAttributes.Tables(entry.Table)));
                continue;
            }
            if (sub.End is not { } end)
                continue; // its missing 'end' is already reported
            if (!FortiOsAttributes.Descriptive.Contains(path))
                _diagnostics.Warning(Span(at), $"'config {path}' has no effect in PostureGate: a FortiOS setting of '{entry.Table.Path}' it does not implement; kept as written");
            entry.AddFortiOsTable(_doc.Text[sub.Keyword.Start..(end.Start + end.Length)]);
        }
    }

    private void BindStatement(BoundEntry entry, StatementSyntax s)
    {
        var attribute = entry.Table.Find(s.Attribute.Raw(_doc.Text));
        if (attribute is null)
        {
            if (FortiOsAttributes.IsAttribute(entry.Table, s.Attribute.Raw(_doc.Text)))
                BindFortiOsAttribute(entry, s);
            else
                Error(s.Attribute, $"unknown attribute {s.Attribute.Display(_doc.Text)} in '{entry.Table.Path}'",
                    NameSuggester.Hint(s.Attribute.Raw(_doc.Text), entry.Table.AttributeNames.Concat(FortiOsAttributes.Unused(entry.Table))));
            return;
        }
        switch (s.Verb)
        {
            case StatementVerb.Unset:
                if (s.ValueCount > 0)
                {
                    var stray = _doc.Tokens[s.ValueStart];
                    Error(stray, $"unexpected {stray.Display(_doc.Text)} after 'unset {attribute.Name}'");
                    return;
                }
                entry.Unset(attribute);
                return;
            case StatementVerb.Append when !attribute.IsList:
                Error(s.Keyword, $"'append' works on list attributes; '{attribute.Name}' takes one value", "use 'set'");
                return;
        }
        if (attribute.Kind == ValueKind.Secret && s.ValueCount > 0 && _doc.Tokens[s.ValueStart] is { Kind: TokenKind.Word } enc && enc.Raw(_doc.Text).SequenceEqual("ENC"))
        {
            if (OpenSealed(attribute, s) is { } opened)
                entry.Set(attribute, opened, s.ValueStart - 1, s.ValueStart + 1);
            else
                entry.MarkInvalid(attribute);
            return;
        }
        if (!ValueParser.TryParse(attribute, _doc.Text, _doc.Tokens, s.ValueStart, s.ValueCount, out var value, out var error))
        {
            var at = error.Token < 0 ? s.Attribute : _doc.Tokens[error.Token];
            Error(at, error.Message, error.Hint);
            // Later rules must not also call it missing.
            entry.MarkInvalid(attribute);
            return;
        }
        var firstValue = s.ValueStart;
        if (s.Verb == StatementVerb.Append && entry.GetExplicit(attribute) is { } existing)
        {
            value = Append(attribute, existing, value!);
            firstValue = -1; // values now come from two lines
        }
        entry.Set(attribute, value!, s.ValueStart - 1, firstValue);
    }

    /// <summary>A FortiOS attribute PostureGate does not read: kept as written, with a warning unless it only describes.</summary>
    private void BindFortiOsAttribute(BoundEntry entry, StatementSyntax s)
    {
        var name = s.Attribute.Raw(_doc.Text).ToString();
        if (s.Verb != StatementVerb.Unset && s.ValueCount == 0)
        {
            Error(s.Attribute, $"'{name}' needs a value");
            return;
        }
        if (!FortiOsAttributes.Descriptive.Contains(name))
            _diagnostics.Warning(Span(s.Attribute), $"'{name}' has no effect in PostureGate: a FortiOS setting of '{entry.Table.Path}' it does not implement; kept as written");
        var values = s.Verb == StatementVerb.Unset ? null
            : string.Join(' ', Enumerable.Range(s.ValueStart, s.ValueCount).Select(i => _doc.Tokens[i].Source(_doc.Text)));
        entry.SetFortiOs(name, values, s.Verb == StatementVerb.Append);
    }

    /// <summary><c>set psksecret ENC &lt;base64&gt;</c>, as `config show` writes it: opened with this machine's key.</summary>
    private Model.Secret? OpenSealed(AttributeSchema a, StatementSyntax s)
    {
        var enc = _doc.Tokens[s.ValueStart];
        if (s.ValueCount != 2)
        {
            var at = s.ValueCount > 2 ? _doc.Tokens[s.ValueStart + 2] : enc;
            Error(at, $"'{a.Name} ENC' takes one encrypted value");
            return null;
        }
        var value = _doc.Tokens[s.ValueStart + 1].GetString(_doc.Text);
        string reason;
        if (value == "****")
            reason = "it was printed masked ('ENC ****'), without the value";
        else if (_keyFile is null)
            reason = "no configuration key was given to read it with";
        else if (_key is null && (_keyError is not null || !_keyFile.TryLoad(out _key, out _keyError)))
            reason = _keyError!;
        else if (_key!.TryOpen(value, out var clear, out reason))
        {
            try
            {
                return new Model.Secret(clear) { SealedText = value };
            }
            finally
            {
                System.Security.Cryptography.CryptographicOperations.ZeroMemory(clear);
            }
        }
        Error(enc, $"cannot read the encrypted '{a.Name}': {reason}", "set it in clear text, or load the file on the machine that wrote it");
        return null;
    }

    private static object Append(AttributeSchema a, object existing, object added) => a.Kind switch
    {
        ValueKind.StringList => Concat((Model.ValueList<string>)existing, (Model.ValueList<string>)added),
        ValueKind.DhGroups => Concat((Model.ValueList<Proposals.KeyExchangeMethod>)existing, (Model.ValueList<Proposals.KeyExchangeMethod>)added),
        _ => Concat((Model.ValueList<Proposals.CipherSuite>)existing, (Model.ValueList<Proposals.CipherSuite>)added),
    };

    // FortiOS ignores an appended value already present.
    private static Model.ValueList<T> Concat<T>(Model.ValueList<T> a, Model.ValueList<T> b) =>
        new(a.Concat(b.Where(x => !a.Contains(x))));

    private string Word(Token t) => t.Raw(_doc.Text).ToString();

    private SourceSpan Span(Token t) => new(_doc.FileName, t.Line, t.Column);

    private void Error(Token at, string message, string? hint = null) => _diagnostics.Error(at.Line, at.Column, message, hint);
}
