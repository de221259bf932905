// An fctems entry the gateway cannot connect with says which of its two credentials is missing.
using PostureGate.Config;
using PostureGate.Config.Model;
using PostureGate.Gateway.Composition;

namespace PostureGate.Gateway.Tests.Composition;

public class FctEmsConnectorReadinessTests
{
    [Fact]
    public void The_examples_entries_have_an_api_key_and_lack_only_the_fingerprint()
    {
        var config = ConfigLoader.Load(IkeSettingsBuilderTests.Example()).Config!;
        foreach (var ems in config.FctEms)
            Assert.Equal("no certificate-fingerprint set (`pgate ems` prints it: certificate fingerprint (SHA-256))", PostureComposition.MissingToConnect(ems));
    }

    [Fact]
    public void Each_missing_credential_is_named_and_a_complete_entry_needs_nothing()
    {
        var ems = ConfigLoader.Load(IkeSettingsBuilderTests.Example()).Config!.FctEms[0];
        Assert.Equal("no api-key set (`pgate ems apikey` prints the gateway API key)",
            PostureComposition.MissingToConnect(ems with { CertificateFingerprint = "AB:CD", ApiKey = null }));
        Assert.StartsWith("no certificate-fingerprint and no api-key set",
            PostureComposition.MissingToConnect(ems with { ApiKey = null }), StringComparison.Ordinal);
        Assert.Null(PostureComposition.MissingToConnect(ems with { CertificateFingerprint = "AB:CD" }));
    }
}
