using FsCheck.Xunit;
using PostureGate.Config.Printing;

namespace PostureGate.Config.Tests;

/// <summary>parse(print(x)) == x over generated configurations, and print is a fixpoint.</summary>
public class RoundTripTests
{
    [Property(MaxTest = 200)]
    public bool PrintThenParseGivesTheSameModel(int seed, bool withDefaults)
    {
        var text = ConfigGenerator.Generate(seed);
        var first = ConfigLoader.Parse(text, "gen.conf");
        Assert.True(first.Config is not null, string.Join('\n', first.Diagnostics) + "\n" + text);
        var options = new PrintOptions { ShowSecrets = true, WithDefaults = withDefaults };
        var printed = ConfigPrinter.Print(first.Config!, options);
        var second = ConfigLoader.Parse(printed, "printed.conf");
        Assert.True(second.Config is not null, string.Join('\n', second.Diagnostics) + "\n" + printed);
        Assert.Equal(first.Config, second.Config);
        Assert.Equal(printed, ConfigPrinter.Print(second.Config!, options));
        return true;
    }

    [Fact]
    public void ExampleRoundTrips()
    {
        var loaded = ConfigLoader.Load(TestPaths.Example).Config!;
        var printed = ConfigPrinter.Print(loaded, new PrintOptions { ShowSecrets = true });
        Assert.Equal(loaded, ConfigLoader.Parse(printed, "p.conf").Config);
    }

    [Fact]
    public void ModelEqualityNoticesAChange()
    {
        var a = ConfigLoader.Load(TestPaths.Example).Config!;
        var text = File.ReadAllText(TestPaths.Example).Replace("set dpd-retryinterval 60", "set dpd-retryinterval 61", StringComparison.Ordinal);
        var b = ConfigLoader.Parse(text, "b.conf").Config!;
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void MaskedSecretsDoNotReparse()
    {
        var loaded = ConfigLoader.Load(TestPaths.Example).Config!;
        var printed = ConfigPrinter.Print(loaded);
        Assert.Contains("set psksecret ENC ****", printed);
        Assert.DoesNotContain("example-dialup-psk", printed);
        Assert.Null(ConfigLoader.Parse(printed, "masked.conf").Config);
    }
}
