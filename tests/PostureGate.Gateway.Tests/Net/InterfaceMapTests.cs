// InterfaceMap: the example configuration's interfaces on a fake host.
using System.Net;
using PostureGate.Config;
using PostureGate.Config.Host;
using PostureGate.Gateway.Net;
using PostureGate.Gateway.Tests.Composition;

namespace PostureGate.Gateway.Tests.Net;

public class InterfaceMapTests
{
    private sealed class FakeHost(params HostInterface[] interfaces) : IHostInterfaceSource
    {
        public IReadOnlyList<HostInterface> GetInterfaces() => interfaces;
    }

    private static InterfaceMap Map(params HostInterface[] host)
    {
        var r = ConfigLoader.Load(IkeSettingsBuilderTests.Example());
        Assert.True(r.Success, string.Join('\n', r.Diagnostics));
        return InterfaceMap.Resolve(r.Config!, new FakeHost(host));
    }

    [Fact]
    public void A_FortiOS_name_maps_to_the_device_carrying_its_address_and_back()
    {
        var map = Map(new HostInterface("eth0", [IPAddress.Parse("192.0.2.4")]));

        Assert.True(map.TryGetConfigured("eth0", out var configured));
        Assert.Equal("port1", configured);
    }

    [Fact]
    public void A_phase1_is_its_own_tun_device()
    {
        var map = Map();

        Assert.True(map.TryGetConfigured("dialup", out var configured));
        Assert.Equal("dialup", configured);
    }

    [Fact]
    public void A_device_the_configuration_does_not_name_is_unknown() =>
        Assert.False(Map(new HostInterface("eth9", [IPAddress.Parse("203.0.113.99")])).TryGetConfigured("eth9", out _));
}
