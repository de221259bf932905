// DataPlaneTuning: the PG_* variables of docs/operations.md become options once, at the edge;
// EspDataPlaneOptions itself is plain values, whatever the environment holds.
using PostureGate.Esp.Crypto;
using PostureGate.Esp.Devices.Fakes;

namespace PostureGate.Esp.Tests.DataPlane;

public sealed class DataPlaneTuningTests
{
    private static Func<string, string?> Variables(params (string Name, string Value)[] set) =>
        name => set.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void NoVariables_TheDefaults()
    {
        var t = DataPlaneTuning.FromVariables(Variables());
        Assert.Equal(0, t.Esp.PipelineDepth);
        Assert.Equal(TimeSpan.FromMicroseconds(300), t.Esp.Moderation);
        Assert.Equal(EspCryptoBackend.Auto, t.Esp.Crypto);
        Assert.True(t.TunOffload);
    }

    [Fact]
    public void EachVariable_SetsItsOption()
    {
        var t = DataPlaneTuning.FromVariables(Variables(
            ("PG_ESP_PIPELINE_DEPTH", "4"), ("PG_ESP_MODERATION_US", "0"), ("PG_ESP_CRYPTO", "BCL"), ("PG_TUN_OFFLOAD", "off")));
        Assert.Equal(4, t.Esp.PipelineDepth);
        Assert.Equal(TimeSpan.Zero, t.Esp.Moderation);
        Assert.Equal(EspCryptoBackend.Bcl, t.Esp.Crypto);
        Assert.False(t.TunOffload);
    }

    [Theory]
    [InlineData("PG_ESP_MODERATION_US", "-5")]
    [InlineData("PG_ESP_MODERATION_US", "fast")]
    [InlineData("PG_ESP_PIPELINE_DEPTH", "deep")]
    [InlineData("PG_ESP_CRYPTO", "openssl-ish")]
    [InlineData("PG_TUN_OFFLOAD", "no")]
    public void UnparsableValue_LeavesTheDefault(string name, string value) =>
        Assert.Equal(DataPlaneTuning.FromVariables(Variables()), DataPlaneTuning.FromVariables(Variables((name, value))));

    [Fact]
    public void NewOptions_DoNotReadTheEnvironment()
    {
        // Before, every `new EspDataPlaneOptions()` read PG_ESP_PIPELINE_DEPTH and PG_ESP_MODERATION_US.
        var before = (Environment.GetEnvironmentVariable("PG_ESP_PIPELINE_DEPTH"), Environment.GetEnvironmentVariable("PG_ESP_MODERATION_US"));
        Environment.SetEnvironmentVariable("PG_ESP_PIPELINE_DEPTH", "7");
        Environment.SetEnvironmentVariable("PG_ESP_MODERATION_US", "11");
        try
        {
            var o = new EspDataPlaneOptions();
            Assert.Equal(0, o.PipelineDepth);
            Assert.Equal(EspDataPlaneOptions.DefaultModeration, o.Moderation);
        }
        finally
        {
            Environment.SetEnvironmentVariable("PG_ESP_PIPELINE_DEPTH", before.Item1);
            Environment.SetEnvironmentVariable("PG_ESP_MODERATION_US", before.Item2);
        }
    }

    [Fact]
    public void CryptoOption_ChoosesTheDataPlanesLibrary()
    {
        using var bcl = new EspDataPlane(new FakeTun("t0"), new FakeNetwork().Bind(new(System.Net.IPAddress.Loopback, 4500)),
            new EspDataPlaneOptions { Crypto = EspCryptoBackend.Bcl });
        Assert.Equal("bcl", bcl.CryptoBackend);
    }
}
