// The tokens of one non-empty, non-comment FortiOS CLI source line, as a range of the shared token list.
namespace PostureGate.Config.Syntax;

/// <summary>The tokens of one non-empty, non-comment source line: a range of the shared token list.</summary>
internal readonly record struct LineTokens(int First, int Count, int Line);
