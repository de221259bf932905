// The FortiOS CLI `config <path>` … `end` block in the syntax tree: edits, or a settings section's statements.
namespace PostureGate.Config.Syntax;

/// <summary>
/// <c>config &lt;path words&gt;</c> … <c>end</c>. A table holds edits; a settings
/// section (<c>config system dns</c>) holds statements directly. The parser keeps
/// both and leaves the choice to the schema.
/// </summary>
internal sealed class ConfigBlockSyntax(Token keyword, int pathStart, int pathCount)
{
    public Token Keyword { get; } = keyword;
    public int PathStart { get; } = pathStart;
    public int PathCount { get; } = pathCount;
    public List<EditSyntax> Edits { get; } = [];
    public List<StatementSyntax> Statements { get; } = [];
    public List<ConfigBlockSyntax> SubBlocks { get; } = [];
    /// <summary>Its <c>end</c>; null when the file never closes it.</summary>
    public Token? End { get; set; }
}
