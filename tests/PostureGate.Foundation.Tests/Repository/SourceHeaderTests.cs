// Keeps issue 14's rule true: every src/**/*.cs file opens with a `//` line naming what it
// implements and its specification (RFC section, FortiOS CLI reference, or PostureGate's own).
namespace PostureGate.Foundation.Tests.Repository;

public class SourceHeaderTests
{
    [Fact]
    public void EverySourceFileOpensWithAHeaderComment()
    {
        var src = Path.Combine(FindRoot(), "src");
        var files = SourceFiles(src).ToList();
        // A wrong root or filter would find nothing and pass for no reason.
        Assert.True(files.Count > 100, $"only {files.Count} .cs files found under {src}");

        var missing = files
            .Where(f => !OpensWithLineComment(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(src, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(missing.Count == 0,
            $"{missing.Count} file(s) under src/ do not start with a `//` line naming what they implement and its spec:\n  "
            + string.Join("\n  ", missing));
    }

    [Theory]
    [InlineData("// RFC 7296 §3.10 Notify Payload\nnamespace X;", true)]
    [InlineData("\uFEFF// with a byte order mark\nnamespace X;", true)]
    [InlineData("\n  \r\n\t// after blank lines\nnamespace X;", true)]
    [InlineData("using System;\n// too late\nnamespace X;", false)]
    [InlineData("/// <summary>A doc comment is not a file header.</summary>\nclass X;", false)]
    [InlineData("/* block comment */\nnamespace X;", false)]
    [InlineData("namespace X;", false)]
    [InlineData("", false)]
    [InlineData("\n\n", false)]
    public void OnlyAPlainLineCommentCountsAsAHeader(string text, bool expected) =>
        Assert.Equal(expected, OpensWithLineComment(text));

    /// <summary>The first non-blank line is a `//` comment that is not a `///` doc comment.</summary>
    private static bool OpensWithLineComment(string text)
    {
        foreach (var raw in text.AsSpan().TrimStart('\uFEFF').EnumerateLines())
        {
            var line = raw.TrimStart();
            if (line.IsEmpty)
                continue;
            return line.StartsWith("//") && !line.StartsWith("///");
        }
        return false;
    }

    private static IEnumerable<string> SourceFiles(string src) =>
        Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(src, f).Split(Path.DirectorySeparatorChar)
                .Any(part => part is "obj" or "bin"));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PostureGate.slnx")))
                return dir.FullName;
        }
        throw new InvalidOperationException("repository root not found");
    }
}
