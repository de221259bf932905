// How pgate prints configuration findings: each compiler-style, then one summary line whose
// counts agree in number ("1 error", "2 errors") and which says OK only when nothing is an error.
using PostureGate.Config;

namespace PostureGate.Cli.Tests;

public class DiagnosticWriterTests
{
    private static Diagnostic Error(int line) => new(DiagnosticSeverity.Error, new SourceSpan("gw.conf", line, 5), "unknown attribute 'psksecrte'", "did you mean 'psksecret'?");

    private static Diagnostic Warning(int line) => new(DiagnosticSeverity.Warning, new SourceSpan("gw.conf", line, 9), "interface 'port1' not found on this host");

    [Fact]
    public void WritesEachFindingAsFileLineColumnInTheGivenOrder()
    {
        var output = new StringWriter();
        DiagnosticWriter.Write(output, [Error(12), Warning(3)]);

        Assert.Equal(
            "gw.conf:12:5: error: unknown attribute 'psksecrte'; did you mean 'psksecret'?\n"
            + "gw.conf:3:9: warning: interface 'port1' not found on this host\n",
            output.ToString().ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData(0, 0, "gw.conf: OK (0 warnings)")]
    [InlineData(0, 1, "gw.conf: OK (1 warning)")]
    [InlineData(1, 0, "gw.conf: 1 error, 0 warnings")]
    [InlineData(2, 1, "gw.conf: 2 errors, 1 warning")]
    public void SummaryCountsErrorsAndWarningsInTheRightNumber(int errors, int warnings, string expected)
    {
        var findings = Enumerable.Range(1, errors).Select(Error).Concat(Enumerable.Range(1, warnings).Select(Warning)).ToList();
        var output = new StringWriter();

        DiagnosticWriter.WriteSummary(output, "gw.conf", new LoadResult(null, findings));

        Assert.Equal(expected + "\n", output.ToString().ReplaceLineEndings("\n"));
    }
}
