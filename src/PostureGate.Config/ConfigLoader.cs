// Entry point of the configuration layer:
//  1. Lexer + Parser: text → syntax tree (blocks, edits, statements), structural errors;
//  2. Binder: paths and attributes against the schema tables, typed values;
//  3. ModelBuilder: references resolved, cross-entry rules, the immutable model;
//  4. optionally Host.InterfaceResolver: warnings for interfaces absent on this host.
// Every stage adds to one diagnostics bag; the model exists only without errors.
using PostureGate.Config.Binding;
using PostureGate.Config.Building;
using PostureGate.Config.Host;
using PostureGate.Config.Secrets;
using PostureGate.Config.Syntax;

namespace PostureGate.Config;

public static class ConfigLoader
{
    /// <summary>Reads and checks a file. <paramref name="keyFile"/> is this machine's configuration key, for <c>ENC</c> secrets.</summary>
    public static LoadResult Load(string path, IHostInterfaceSource? host = null, ConfigKeyFile? keyFile = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new LoadResult(null, [new Diagnostic(DiagnosticSeverity.Error, new SourceSpan(path, 0, 0), $"cannot read file: {ex.Message}")]);
        }
        return Parse(text, path, host, keyFile);
    }

    /// <summary>Parses and checks configuration text. With a <paramref name="host"/>, interfaces not found on it are warnings.</summary>
    public static LoadResult Parse(string text, string fileName, IHostInterfaceSource? host = null, ConfigKeyFile? keyFile = null)
    {
        var diagnostics = new DiagnosticBag(fileName);
        var syntax = Parser.Parse(text, fileName, diagnostics);
        var bound = Binder.Bind(syntax, diagnostics, keyFile);
        var config = ModelBuilder.Build(bound, diagnostics);
        if (config is not null && host is not null)
        {
            foreach (var w in new InterfaceResolver(host).Check(config))
                diagnostics.Add(w);
        }
        return new LoadResult(config, diagnostics.ToSortedList());
    }
}
