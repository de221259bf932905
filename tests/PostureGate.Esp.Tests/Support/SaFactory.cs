using System.Net;
using PostureGate.Esp.Sad;

namespace PostureGate.Esp.Tests.Support;

/// <summary>SAs built directly, below the data plane, with their expire events collected.</summary>
internal static class SaFactory
{
    public static readonly IPEndPoint Peer = new(IPAddress.Parse("198.51.100.20"), 55846);
    public const uint Spi = 0xC0FFEE01;

    public static (OutboundSa Outbound, InboundSa Inbound) Pair(TestSuite suite, bool esn = false, int replayWindow = 1024,
        SaLifetime lifetime = default, List<EspSaExpire>? events = null, IReadOnlyList<(IPAddress, IPAddress)>? innerSources = null)
    {
        var tunnel = new Tunnel(7, IPAddress.Parse("10.139.1.2"));
        Action<EspSaExpire> raise = e => events?.Add(e);
        return (
            new OutboundSa(suite.Config(Spi, 0x10, Peer, esn, replayWindow, lifetime), Spi, tunnel, 1, raise),
            new InboundSa(suite.Config(Spi, 0x10, Peer, esn, replayWindow, lifetime, innerSources), tunnel, 1, raise));
    }
}
