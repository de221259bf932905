// A parsed FortiOS CLI configuration file: its top-level `config` blocks over one shared token list.
namespace PostureGate.Config.Syntax;

/// <summary>A parsed file: its top-level blocks over one shared token list.</summary>
internal sealed class DocumentSyntax(string fileName, string text, List<Token> tokens, List<ConfigBlockSyntax> blocks)
{
    public string FileName { get; } = fileName;
    public string Text { get; } = text;
    public List<Token> Tokens { get; } = tokens;
    public List<ConfigBlockSyntax> Blocks { get; } = blocks;

    public string PathOf(ConfigBlockSyntax block)
    {
        if (block.PathCount == 1)
            return Tokens[block.PathStart].GetString(Text);
        var parts = new string[block.PathCount];
        for (var i = 0; i < parts.Length; i++)
            parts[i] = Tokens[block.PathStart + i].GetString(Text);
        return string.Join(' ', parts);
    }
}
