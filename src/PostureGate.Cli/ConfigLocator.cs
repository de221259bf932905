// Finds examples/dialup.conf when pgate gets no --config: the working directory, then up from the executable — PostureGate's own.
namespace PostureGate.Cli;

/// <summary>
/// Finds examples/dialup.conf when no --config is given: from the working
/// directory, then walking up from the executable's directory (`dotnet run`
/// puts it under src/PostureGate.Cli/bin/…).
/// </summary>
internal static class ConfigLocator
{
    public const string DefaultRelativePath = "examples/dialup.conf";

    public static string? Find(string? workingDirectory = null, string? baseDirectory = null)
    {
        var cwdCandidate = Path.Combine(workingDirectory ?? Directory.GetCurrentDirectory(), DefaultRelativePath);
        if (File.Exists(cwdCandidate))
            return cwdCandidate;
        for (var dir = new DirectoryInfo(baseDirectory ?? AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, DefaultRelativePath);
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }
}
