// A scalar as an EMS tag rule sees it: null, boolean, number, string, or other JSON (RFC 8259 §3) — PostureGate's own.
using System.Text.Json;

namespace PostureGate.Ems.Rules;

internal enum RuleValueKind : byte { Null, Boolean, Number, String, Other }

/// <summary>A scalar seen by a rule. Objects and arrays are <see cref="RuleValueKind.Other"/>:
/// they compare unequal to everything and are not true.</summary>
internal readonly struct RuleValue
{
    public static readonly RuleValue Null = default;
    public static readonly RuleValue True = new(RuleValueKind.Boolean, true, 0, null);
    public static readonly RuleValue False = new(RuleValueKind.Boolean, false, 0, null);
    public static readonly RuleValue Other = new(RuleValueKind.Other, false, 0, null);

    private RuleValue(RuleValueKind kind, bool boolean, double number, string? text)
    {
        Kind = kind;
        Boolean = boolean;
        Number = number;
        Text = text;
    }

    public RuleValueKind Kind { get; }
    public bool Boolean { get; }
    public double Number { get; }
    public string? Text { get; }

    public static RuleValue FromBoolean(bool value) => value ? True : False;
    public static RuleValue FromNumber(double value) => new(RuleValueKind.Number, false, value, null);
    public static RuleValue FromString(string value) => new(RuleValueKind.String, false, 0, value);

    public static RuleValue FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.True => True,
        JsonValueKind.False => False,
        JsonValueKind.Number => FromNumber(element.GetDouble()),
        JsonValueKind.String => FromString(element.GetString()!),
        JsonValueKind.Null or JsonValueKind.Undefined => Null,
        _ => Other,
    };

    public override string ToString() => Kind switch
    {
        RuleValueKind.Null => "null",
        RuleValueKind.Boolean => Boolean ? "true" : "false",
        RuleValueKind.Number => Number.ToString(System.Globalization.CultureInfo.InvariantCulture),
        RuleValueKind.String => Text!,
        _ => "<object>",
    };
}
