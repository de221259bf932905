// A parse error in an EMS tag rule, at a 1-based column of the expression — PostureGate's own rule language.
namespace PostureGate.Ems.Rules;

/// <summary>A parse error in a tag rule, at a 1-based column of the expression text.</summary>
public readonly record struct RuleError(int Column, string Message)
{
    public override string ToString() => $"column {Column}: {Message}";
}
