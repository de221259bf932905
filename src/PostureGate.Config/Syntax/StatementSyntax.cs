// The FortiOS CLI `set | unset | append <attribute> <value>…` statement in the syntax tree.
namespace PostureGate.Config.Syntax;

internal enum StatementVerb : byte
{
    Set,
    Unset,
    Append,
}

/// <summary><c>set|unset|append &lt;attr&gt; &lt;value&gt;…</c>; the values are a range of the document's token list.</summary>
internal readonly record struct StatementSyntax(StatementVerb Verb, Token Keyword, Token Attribute, int ValueStart, int ValueCount);
