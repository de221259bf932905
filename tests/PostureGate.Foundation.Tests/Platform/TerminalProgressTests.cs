// TerminalProgress: the bar's text, nothing at all for a stream that is not a terminal, and a
// redraw only when the bar changes (a bench of 100 000 setups does not write 100 000 bars).
using PostureGate.Platform;

namespace PostureGate.Foundation.Tests.Platform;

public sealed class TerminalProgressTests
{
    [Theory]
    [InlineData(0, 4, "\r[........................................] 0/4")]
    [InlineData(1, 4, "\r[##########..............................] 1/4")]
    [InlineData(4, 4, "\r[########################################] 4/4")]
    [InlineData(9, 4, "\r[########################################] 4/4")] // never past the end
    [InlineData(1, 3, "\r[#############...........................] 1/3")]
    public void Format_FillsInProportion(int done, int total, string expected) =>
        Assert.Equal(expected, TerminalProgress.Format(done, total));

    [Fact]
    public void NotATerminal_GetsNoProgressAtAll()
    {
        Assert.Null(TerminalProgress.For(new StringWriter(), redirected: true, total: 10));
    }

    [Fact]
    public void NothingToCount_GetsNoBar()
    {
        Assert.Null(TerminalProgress.For(new StringWriter(), redirected: false, total: 0));
    }

    [Fact]
    public void Report_RedrawsOnlyWhenTheBarChanges_AndAlwaysAtTheEnd()
    {
        var terminal = new StringWriter();
        var progress = TerminalProgress.For(terminal, redirected: false, total: 400)!;

        for (var i = 1; i <= 400; i++)
            progress.Report(i);
        progress.Finish();

        var bars = terminal.ToString().Split('\r', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(TerminalProgress.Width + 1, bars.Length); // the empty bar, then one per cell filled (10 setups each)
        Assert.Equal("[########################################] 400/400" + Environment.NewLine, bars[^1]);
    }
}
