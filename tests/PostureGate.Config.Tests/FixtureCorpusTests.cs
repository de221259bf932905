namespace PostureGate.Config.Tests;

/// <summary>
/// Every Fixtures/invalid/*.conf (and the seed's CLI blocks alone, Fixtures/seed)
/// yields exactly the lines of its sibling .expected file, and no model.
/// </summary>
public class FixtureCorpusTests
{
    public static TheoryData<string> Invalid() => Cases("invalid");

    public static TheoryData<string> Seed() => Cases("seed");

    [Theory]
    [MemberData(nameof(Invalid))]
    public void InvalidFileReportsExpectedDiagnostics(string name) => AssertExpected("invalid", name);

    /// <summary>The seed's blocks without their surrounding objects report exactly their unresolved references.</summary>
    [Theory]
    [MemberData(nameof(Seed))]
    public void SeedBlocksReportTheirUnresolvedReferences(string name) => AssertExpected("seed", name);

    [Fact]
    public void CorpusCoversEnoughCases() => Assert.True(Invalid().Count >= 25);

    private static void AssertExpected(string folder, string name)
    {
        var conf = Path.Combine(TestPaths.Fixtures, folder, name);
        var expected = File.ReadAllLines(Path.ChangeExtension(conf, ".expected")).Where(l => l.Length > 0).ToArray();
        var result = ConfigLoader.Parse(File.ReadAllText(conf), name);
        Assert.Equal(expected, result.Diagnostics.Select(d => d.ToString()).ToArray());
        Assert.Null(result.Config);
        Assert.Contains(result.Diagnostics, d => d.IsError);
    }

    private static TheoryData<string> Cases(string folder)
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Path.Combine(TestPaths.Fixtures, folder), "*.conf").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(f));
        return data;
    }
}
