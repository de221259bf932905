using PostureGate.Config.Schema;

namespace PostureGate.Config.Tests.Schema;

public class ConfigReferenceTests
{
    private static string RepoFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate))
                return candidate;
        }
        throw new FileNotFoundException(relative);
    }

    // The committed reference is what the schema generates: regenerate with
    // `dotnet run --project src/PostureGate.Cli -- config reference > docs/configuration.md`.
    [Fact]
    public void Committed_reference_matches_the_schema() =>
        Assert.Equal(ConfigReference.Markdown(), File.ReadAllText(RepoFile("docs/configuration.md")));

    [Fact]
    public void Reference_names_every_seed_attribute_with_its_default()
    {
        var md = ConfigReference.Markdown();
        Assert.Contains("## config vpn ipsec phase1-interface", md);
        foreach (var attr in new[] { "remote-gw-match", "remote-gw-ztna-tags", "ems-sn-check", "assign-ip-from", "ipv4-split-include", "dpd-retryinterval" })
            Assert.Contains($"| `{attr}` |", md);
        Assert.Contains("`ztna`", md);
        Assert.Contains("| `ike-port` | integer", md);
    }
}
