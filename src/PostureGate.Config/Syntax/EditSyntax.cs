// The FortiOS CLI `edit <name|id>` … `next` block in the syntax tree: one table entry's statements and sub-blocks.
namespace PostureGate.Config.Syntax;

/// <summary><c>edit &lt;name|id&gt;</c> … <c>next</c>: one entry of a table.</summary>
internal sealed class EditSyntax(Token keyword, Token name)
{
    public Token Keyword { get; } = keyword;
    public Token Name { get; } = name;
    public List<StatementSyntax> Statements { get; } = [];
    public List<ConfigBlockSyntax> SubBlocks { get; } = [];
}
