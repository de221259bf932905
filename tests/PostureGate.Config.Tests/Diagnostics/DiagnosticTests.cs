// A configuration diagnostic printed as compilers print theirs: file:line:col: severity: message; hint.
namespace PostureGate.Config.Tests.Diagnostics;

public class DiagnosticTests
{
    [Fact]
    public void DiagnosticPrintsCompilerStyle()
    {
        var d = new Diagnostic(DiagnosticSeverity.Warning, new SourceSpan("a.conf", 3, 7), "something odd", "did you mean 'x'?");
        Assert.Equal("a.conf:3:7: warning: something odd; did you mean 'x'?", d.ToString());
        Assert.False(d.IsError);
    }

    [Fact]
    public void ErrorWithoutHintEndsAtTheMessage()
    {
        var d = new Diagnostic(DiagnosticSeverity.Error, new SourceSpan("b.conf", 12, 1), "unknown attribute 'x'");
        Assert.Equal("b.conf:12:1: error: unknown attribute 'x'", d.ToString());
        Assert.True(d.IsError);
    }
}
