namespace PostureGate.Config.Tests;

internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRoot();

    public static string Fixtures => Path.Combine(RepoRoot, "tests", "PostureGate.Config.Tests", "Fixtures");

    public static string Example => Path.Combine(RepoRoot, "examples", "dialup.conf");

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
