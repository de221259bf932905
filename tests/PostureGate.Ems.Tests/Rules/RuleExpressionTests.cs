using System.Text.Json;
using PostureGate.Ems.Rules;

namespace PostureGate.Ems.Tests.Rules;

public class RuleExpressionTests
{
    private static readonly JsonElement Facts = JsonDocument.Parse("""
        {"os":{"build":19045,"name":"Windows","version":"10.0.19045"},"av":{"running":true,"vendor":"Acme"},
         "fw":{"on":false},"disk":{"encrypted":true},"score":7.5,"tags":["x"],"nothing":null}
        """).RootElement;

    [Theory]
    [InlineData("registered", true)]
    [InlineData("os.build >= 19045 and av.running", true)]
    [InlineData("os.build > 19045", false)]
    [InlineData("os.build >= 19045 and fw.on", false)]
    [InlineData("os.build >= 19045 and not fw.on", true)]
    [InlineData("fw.on or disk.encrypted", true)]
    [InlineData("not (fw.on or disk.encrypted)", false)]
    [InlineData("av.vendor == 'Acme'", true)]
    [InlineData("av.vendor == \"acme\"", false)]
    [InlineData("av.vendor != 'Other'", true)]
    [InlineData("score < 8 and score > 7.4", true)]
    [InlineData("score <= -1", false)]
    [InlineData("os.version >= '10.0.9200'", true)]   // as versions: 19045 > 9200
    [InlineData("os.version < '10.0.9200'", false)]
    [InlineData("missing.path == null", true)]
    [InlineData("nothing == null", true)]
    [InlineData("missing.path", false)]
    [InlineData("os.build", false)]                    // a number is not true
    [InlineData("os.build == '19045'", false)]          // kinds differ
    [InlineData("os.build < 'x'", false)]
    [InlineData("tags == tags", false)]                 // arrays are never equal to anything
    [InlineData("os.name.deeper == null", true)]
    [InlineData("true and not false", true)]
    [InlineData("endpoint.host == 'PC1'", true)]
    [InlineData("endpoint.user == null", true)]
    [InlineData("a or b and c", false)]
    [InlineData("registered or missing and missing", true)]
    public void Evaluate(string source, bool expected)
    {
        Assert.True(RuleExpression.TryParse(source, out var rule, out var error), error.ToString());
        var fields = new Dictionary<string, string?> { ["host"] = "PC1", ["user"] = null };
        Assert.Equal(expected, rule!.Evaluate(Facts, fields));
    }

    [Fact]
    public void Registered_CannotBeOverriddenByFacts()
    {
        Assert.True(RuleExpression.TryParse("registered == true", out var rule, out _));
        using var facts = JsonDocument.Parse("""{"registered":false}""");
        Assert.True(rule!.Evaluate(facts.RootElement));
    }

    [Theory]
    [InlineData("Empty", "", 1, "expression ended")]
    [InlineData("UnclosedParen", "(a and b", 9, "expected ')'")]
    [InlineData("SingleEquals", "os.build = 3", 10, "use '=='")]
    [InlineData("DanglingAnd", "a and", 6, "expression ended")]
    [InlineData("ChainedComparison", "1 < a < 3", 7, "do not chain")]
    [InlineData("BadCharacter", "a & b", 3, "unexpected character '&'")]
    [InlineData("UnclosedString", "a == 'x", 6, "not closed")]
    [InlineData("BadEscape", "a == 'x\\n'", 8, "unknown escape")]
    [InlineData("TrailingToken", "a b", 3, "expected 'and', 'or'")]
    [InlineData("DotWithoutName", "os. == 1", 5, "after '.'")]
    [InlineData("NumberThenLetters", "19045abc", 6, "after number")]
    [InlineData("StrayCloseParen", ") a", 1, "found ')'")]
    [InlineData("OperatorFirst", "== 3", 1, "found")]
    public void Invalid_NamesTheColumn(string name, string source, int column, string message)
    {
        Assert.False(RuleExpression.TryParse(source, out var rule, out var error), name);
        Assert.Null(rule);
        Assert.Equal(column, error.Column);
        Assert.Contains(message, error.Message);
        Assert.StartsWith($"column {column}: ", error.ToString());
    }

    [Fact]
    public void TooDeep_IsAnErrorNotAStackOverflow()
    {
        var source = new string('(', 10_000) + "a" + new string(')', 10_000);
        Assert.False(RuleExpression.TryParse(source, out _, out var error));
        Assert.Contains("longer than", error.Message);
        var deep = string.Concat(Enumerable.Repeat("not ", 100)) + "a";
        Assert.False(RuleExpression.TryParse(deep, out _, out error));
        Assert.Contains("nested deeper", error.Message);
    }

    [Fact]
    public void KeywordsAfterDot_AreKeyNames()
    {
        Assert.True(RuleExpression.TryParse("av.not == 1 and x.and.or", out var rule, out var error), error.ToString());
        using var facts = JsonDocument.Parse("""{"av":{"not":1},"x":{"and":{"or":true}}}""");
        Assert.True(rule!.Evaluate(facts.RootElement));
    }
}

public class RuleExpressionRobustnessTests
{
    /// <summary>Random text built from the language's own characters: parsing either succeeds or
    /// reports a column inside (or just past) the text; evaluation of what parses never throws.</summary>
    [Fact]
    public void RandomInput_NeverThrows()
    {
        string[] pieces = ["a", "b.c", "os.build", " ", "and", "or", "not", "(", ")", "==", "!=", "<", "<=", ">", ">=",
            "=", "!", "1", "-2.5", "'x'", "\"y\"", "'", "\\", "true", "false", "null", ".", "&", "é", "\t"];
        var random = new Random(20261127);
        using var facts = System.Text.Json.JsonDocument.Parse("""{"a":true,"b":{"c":1},"os":{"build":19045}}""");
        var parsed = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var length = random.Next(0, 12);
            var source = string.Concat(Enumerable.Range(0, length).Select(_ => pieces[random.Next(pieces.Length)] + (random.Next(2) == 0 ? " " : "")));
            if (RuleExpression.TryParse(source, out var rule, out var error))
            {
                parsed++;
                rule!.Evaluate(facts.RootElement);
            }
            else
            {
                Assert.InRange(error.Column, 1, source.Length + 1);
                Assert.False(string.IsNullOrEmpty(error.Message));
            }
        }
        Assert.True(parsed > 100, $"only {parsed} random inputs parsed; the generator is too far from the grammar");
    }

    [Fact]
    public void Explain_ListsEachValueTheRuleRead_InTheOrderWritten_Once()
    {
        Assert.True(RuleExpression.TryParse("av.running == true and (os.build >= 19000 or av.running) and endpoint.host != 'x' and missing", out var rule, out _));
        using var facts = System.Text.Json.JsonDocument.Parse("""{"av":{"running":true},"os":{"build":19045}}""");

        var used = rule!.Explain(facts.RootElement, new Dictionary<string, string?> { ["host"] = "alice-laptop" });

        Assert.Equal(
            [new RuleFactUse("av.running", "true"), new RuleFactUse("os.build", "19045"), new RuleFactUse("endpoint.host", "alice-laptop"), new RuleFactUse("missing", "null")],
            used);
    }
}
