// "did you mean …?" hints (NameSuggester): the closest known name within a typo's distance, else none.
namespace PostureGate.Config.Tests.Diagnostics;

public class NameSuggesterTests
{
    private static readonly string[] Known = ["psksecret", "proposal", "peertype", "interface"];

    [Theory]
    [InlineData("pskseret", "psksecret")]   // one letter missing
    [InlineData("proposl", "proposal")]
    [InlineData("interfcae", "interface")]  // two letters swapped: two edits, within a third of nine
    public void ATypoGetsTheClosestName(string typed, string expected) =>
        Assert.Equal($"did you mean '{expected}'?", NameSuggester.Hint(typed, Known));

    [Theory]
    [InlineData("completely-different")]
    [InlineData("x")]
    public void NothingCloseGetsNoHint(string typed) => Assert.Null(NameSuggester.Hint(typed, Known));

    [Fact]
    public void NoKnownNamesGetsNoHint() => Assert.Null(NameSuggester.Closest("psksecret", []));
}
