using PostureGate.Config.Schema;
using PostureGate.Testing;

namespace PostureGate.Config.Tests.Schema;

public class ConfigReferenceTests
{
    // The committed reference is what the schema generates: regenerate with
    // `dotnet run --project src/PostureGate.Cli -- config reference > docs/configuration.md`.
    [Fact]
    public void Committed_reference_matches_the_schema() =>
        Assert.Equal(ConfigReference.Markdown(), File.ReadAllText(RepoFiles.Find("docs/configuration.md")));

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
