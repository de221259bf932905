// Files of the repository a test checks against (docs/, the Grafana dashboard), found by walking up
// from the test's output directory; shared by the test projects as a linked source file.
namespace PostureGate.Testing;

public static class RepoFiles
{
    /// <summary>The full path of <paramref name="relative"/> (e.g. "docs/observability.md") in the repository.</summary>
    public static string Find(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate))
                return candidate;
        }
        throw new FileNotFoundException(relative);
    }
}
