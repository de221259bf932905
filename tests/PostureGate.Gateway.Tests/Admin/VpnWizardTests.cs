// The VPN wizard's form is hostile input: only names the configuration has, a strict tunnel name,
// IPv4 addresses, a bounded key; what it builds is the seed's tunnel, and it loads.
using PostureGate.Config;
using PostureGate.Gateway.Admin;

namespace PostureGate.Gateway.Tests.Admin;

public sealed class VpnWizardTests
{
    private static readonly Config.Model.GatewayConfig Example = Load(File.ReadAllText(ExamplePath()));

    private static Config.Model.GatewayConfig Load(string text)
    {
        var r = ConfigLoader.Parse(text, "dialup.conf");
        Assert.True(r.Config is not null, string.Join('\n', r.Errors));
        return r.Config!;
    }

    private static string ExamplePath() => Composition.IkeSettingsBuilderTests.Example();

    private static WizardForm Valid() => new()
    {
        Name = "wiz1", Interface = "vlan160", UserGroup = "local_group", Psk = "wizard-preshared-key", Tag = "EMS3_ZTNA_a",
        SecondTag = "EMS1_ZTNA_all_registered_clients", StartIp = "10.99.0.1", EndIp = "10.99.0.20", Destination = "lan_subnet", OutInterface = "mgmt1",
    };

    [Fact]
    public void TheSeedsTunnelIsBuiltAndTheFileWithItLoads()
    {
        var (cli, errors) = VpnWizard.Build(Valid(), Example, maskSecret: false);
        Assert.Empty(errors);
        var config = Load(File.ReadAllText(ExamplePath()) + cli);
        var p1 = config.Phase1Interfaces.Find("wiz1")!;
        Assert.Equal(Admission.RemoteGwMatchMode.Ztna, p1.RemoteGwMatch);
        Assert.Equal(["EMS3_ZTNA_a", "EMS1_ZTNA_all_registered_clients"], p1.RemoteGwZtnaTags.Select(t => t.Name));
        Assert.Single(config.Phase2Of(p1));
        var policy = Assert.Single(config.PoliciesFrom(p1));
        Assert.Equal(15, policy.Id); // after the example's 14
    }

    [Fact]
    public void ThePreviewNeverShowsTheKey()
    {
        var (cli, _) = VpnWizard.Build(Valid(), Example, maskSecret: true);
        Assert.Contains("set psksecret ENC ****", cli, StringComparison.Ordinal);
        Assert.DoesNotContain("wizard-preshared-key", cli, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Name", "wiz\"\n    set type static", "Tunnel name: 1-15 letters")]
    [InlineData("Name", "dialup", "Tunnel name: 'dialup' is taken.")]
    [InlineData("Name", "sixteen-chars-xx", "Tunnel name: 1-15 letters")]
    [InlineData("UserGroup", "nobody", "User group: choose one of the configured names.")]
    [InlineData("Tag", "lan_subnet", "ZTNA tag: choose one of the configured names.")]
    [InlineData("Destination", "EMS3_ZTNA_a", "Destination: choose one of the configured names.")]
    [InlineData("Interface", "eth0\"", "Listen interface: choose one of the configured names.")]
    [InlineData("StartIp", "10.99.0", "First client address: an IPv4 address (a.b.c.d).")]
    [InlineData("EndIp", "2001:db8::1", "Last client address: an IPv4 address (a.b.c.d).")]
    [InlineData("Psk", "short", "Pre-shared key: 8-128 characters, no control characters.")]
    [InlineData("Psk", "with a\nnewline in it", "Pre-shared key: 8-128 characters, no control characters.")]
    public void AHostileOrUnknownFieldIsRefusedWithItsOneLine(string field, string value, string error)
    {
        var form = Valid();
        typeof(WizardForm).GetProperty(field)!.SetValue(form, value);
        var (cli, errors) = VpnWizard.Build(form, Example, maskSecret: true);
        Assert.Null(cli);
        Assert.StartsWith(error, Assert.Single(errors), StringComparison.Ordinal);
    }
}
