using System.Net;
using PostureGate.Config.Building;
using PostureGate.Config.Host;
using PostureGate.Config.Model;

namespace PostureGate.Config.Tests;

public class ModelTypesTests
{
    [Fact]
    public void SecretHidesItsValueComparesByValueAndZeroesOnDispose()
    {
        var a = new Secret("s3cret");
        Assert.Equal("****", a.ToString());
        Assert.Equal(new Secret("s3cret"), a);
        Assert.NotEqual(new Secret("s3creT"), a);
        a.Dispose();
        Assert.True(a.Utf8.ToArray().All(b => b == 0));
    }

    [Theory]
    [InlineData("192.0.2.77", 24, "192.0.2.0", "192.0.2.255", true)]
    [InlineData("10.1.2.3", 8, "10.0.0.0", "11.0.0.0", false)]
    [InlineData("0.0.0.0", 0, "0.0.0.0", "255.255.255.255", true)]
    public void IpPrefixNetworkAndContains(string address, int length, string network, string probe, bool contains)
    {
        var p = new IpPrefix(IPAddress.Parse(address), length);
        Assert.Equal(IPAddress.Parse(network), p.Network);
        Assert.Equal(contains, p.Contains(IPAddress.Parse(probe)));
    }

    [Theory]
    [InlineData("EMS1_ZTNA_all_registered_clients", 1, "all_registered_clients")]
    [InlineData("EMS3_ZTNA_a", 3, "a")]
    [InlineData("EMS12_ZTNA_x_ZTNA_y", 12, "x_ZTNA_y")]
    public void ZtnaTagNamesSplit(string name, int ems, string tag)
    {
        Assert.True(ZtnaTagName.TryParse(name, out var id, out var t));
        Assert.Equal((ems, tag), (id, t));
        Assert.Equal(name, ZtnaTagName.Format(id, t));
    }

    [Theory]
    [InlineData("ZTNA_a")]
    [InlineData("EMS_ZTNA_a")]
    [InlineData("EMS0_ZTNA_a")]
    [InlineData("EMS1_ZTNA_")]
    [InlineData("EMSx_ZTNA_a")]
    [InlineData("EMS1-ZTNA-a")]
    public void MalformedZtnaTagNamesAreRejected(string name) => Assert.False(ZtnaTagName.TryParse(name, out _, out _));

    [Fact]
    public void HostSourceListsSysClassNetDevicesEvenWithoutAddresses()
    {
        var dir = Directory.CreateTempSubdirectory("pgate-sysnet");
        try
        {
            Directory.CreateDirectory(Path.Combine(dir.FullName, "port1"));
            Directory.CreateDirectory(Path.Combine(dir.FullName, "vlan160"));
            var names = new LinuxHostInterfaceSource(dir.FullName).GetInterfaces().Select(i => i.Name).ToArray();
            Assert.Contains("port1", names);
            Assert.Contains("vlan160", names);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void AddressObjectsCoverTheirRanges()
    {
        var config = ConfigLoader.Load(TestPaths.Example).Config!;
        var range = config.Addresses["dialup_range"];
        Assert.True(range.Contains(IPAddress.Parse("10.212.134.254")));
        Assert.False(range.Contains(IPAddress.Parse("10.212.134.255")));
        Assert.False(config.Addresses["EMS3_ZTNA_a"].Contains(IPAddress.Parse("10.0.0.1")));
        Assert.Equal([(IPAddress.Parse("203.0.113.0"), IPAddress.Parse("203.0.113.255"))], config.AddressGroups["dialup_split"].Ranges());
        Assert.Same(FirewallAddress.All, config.FindAddress("all"));
        Assert.IsType<AnyInterface>(config.FindInterface("any"));
        Assert.Same(config.Phase1Interfaces["dialup"], config.FindInterface("dialup"));
    }

    [Fact]
    public void DiagnosticPrintsCompilerStyle()
    {
        var d = new Diagnostic(DiagnosticSeverity.Warning, new SourceSpan("a.conf", 3, 7), "something odd", "did you mean 'x'?");
        Assert.Equal("a.conf:3:7: warning: something odd; did you mean 'x'?", d.ToString());
        Assert.False(d.IsError);
    }

    [Fact]
    public void UnreadableFileIsAnErrorNotAnException()
    {
        var result = ConfigLoader.Load("/nonexistent/pgate.conf");
        Assert.Null(result.Config);
        Assert.StartsWith("/nonexistent/pgate.conf:0:0: error: cannot read file", Assert.Single(result.Diagnostics).ToString(), StringComparison.Ordinal);
    }
}
