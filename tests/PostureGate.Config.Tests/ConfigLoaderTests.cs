// ConfigLoader: a file that cannot be read is one diagnostic at file:0:0, never an exception.
namespace PostureGate.Config.Tests;

public class ConfigLoaderTests
{
    [Fact]
    public void UnreadableFileIsAnErrorNotAnException()
    {
        var result = ConfigLoader.Load("/nonexistent/pgate.conf");
        Assert.Null(result.Config);
        Assert.StartsWith("/nonexistent/pgate.conf:0:0: error: cannot read file", Assert.Single(result.Diagnostics).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TextIsParsedUnderTheNameGiven()
    {
        var result = ConfigLoader.Parse("config system settings\n    set no-such-thing 1\nend\n", "given.conf");
        Assert.Contains(result.Diagnostics, d => d.IsError && d.ToString().StartsWith("given.conf:2:", StringComparison.Ordinal));
    }
}
