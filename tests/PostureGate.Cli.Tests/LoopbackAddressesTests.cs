// The demo's loopback addresses (LoopbackConfig.AddressesFor): each interface a dial-up phase1
// binds to gets its own 127.0.0.n, in phase1 order, so the gateway can tell the phase1s apart.
using System.Net;
using PostureGate.Config;

namespace PostureGate.Cli.Tests;

public class LoopbackAddressesTests
{
    [Fact]
    public void TheSeedsTwoDialUpInterfacesGetTheirOwnLoopbackAddressInPhase1Order()
    {
        var example = ConfigLocator.Find() ?? throw new FileNotFoundException(ConfigLocator.DefaultRelativePath);
        var config = ConfigLoader.Load(example).Config;
        Assert.NotNull(config);

        var addresses = PostureGate.Cli.Demo.LoopbackConfig.AddressesFor(config);

        Assert.Equal(
            [new("port1", IPAddress.Parse("127.0.0.1")), new("vlan160", IPAddress.Parse("127.0.0.2"))],
            addresses.OrderBy(a => a.Value.GetAddressBytes()[3]).ToList<KeyValuePair<string, IPAddress>>());
    }
}
