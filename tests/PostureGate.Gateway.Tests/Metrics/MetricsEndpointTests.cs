// `--metrics ADDRESS:PORT`: an explicit address and a port, or one clear refusal.
using PostureGate.Gateway.Metrics;

namespace PostureGate.Gateway.Tests.Metrics;

public sealed class MetricsEndpointTests
{
    [Theory]
    [InlineData("127.0.0.1:9464", "127.0.0.1:9464")]
    [InlineData("0.0.0.0:9464", "0.0.0.0:9464")]
    [InlineData("[::1]:9464", "[::1]:9464")]
    public void TryParse_AddressAndPort(string text, string expected)
    {
        Assert.True(MetricsEndpoint.TryParse(text, out var endpoint));
        Assert.Equal(expected, endpoint!.ToString());
    }

    [Theory]
    [InlineData("9464")]          // no address: never every interface by accident
    [InlineData("127.0.0.1")]     // no port
    [InlineData("127.0.0.1:0")]
    [InlineData("::1")]
    [InlineData("localhost:9464")]
    [InlineData("127.0.0.1:70000")]
    public void TryParse_Refuses(string text)
    {
        Assert.False(MetricsEndpoint.TryParse(text, out var endpoint));
        Assert.Null(endpoint);
    }
}
