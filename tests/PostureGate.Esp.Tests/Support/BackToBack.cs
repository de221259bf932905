using System.Net;

namespace PostureGate.Esp.Tests.Support;

/// <summary>
/// One CHILD_SA between a gateway plane (routing the client's virtual IP 10.139.1.2) and a client
/// plane (routing everything, accepting any inner source): SPIs 0x1001 client→gateway, 0x2001 back.
/// </summary>
public static class BackToBack
{
    public static readonly IPAddress ClientVip = IPAddress.Parse("10.139.1.2");

    public static void Install(EspDataPlane gateway, EspDataPlane client, TestSuite suite,
        IPEndPoint gatewayEndPoint, IPEndPoint clientEndPoint, int tunnelId = 1)
    {
        gateway.AddChildSa(suite.Config(0x1001, 1, clientEndPoint), suite.Config(0x2001, 2, clientEndPoint), ClientVip, tunnelId);
        client.AddChildSa(suite.Config(0x2001, 2, gatewayEndPoint, innerSources: [(IPAddress.Any, IPAddress.Broadcast)]),
            suite.Config(0x1001, 1, gatewayEndPoint), IPAddress.Any, tunnelId);
    }
}

/// <summary>A started gateway plane and client plane on a FakeNetwork with one CHILD_SA between them (<see cref="BackToBack.Install"/>).</summary>
public sealed class BackToBackPlanes : IDisposable
{
    public static readonly IPEndPoint GatewayEndPoint = new(IPAddress.Parse("192.0.2.1"), 4500);
    public static readonly IPEndPoint ClientEndPoint = new(IPAddress.Parse("198.51.100.20"), 55846);

    private readonly PostureGate.Esp.Devices.Fakes.FakeNetwork _network = new();

    public BackToBackPlanes(TestSuite suite)
    {
        Gateway = new EspDataPlane(GatewayTun, _network.Bind(GatewayEndPoint));
        Client = new EspDataPlane(ClientTun, _network.Bind(ClientEndPoint));
        Gateway.Start();
        Client.Start();
        BackToBack.Install(Gateway, Client, suite, GatewayEndPoint, ClientEndPoint);
    }

    public PostureGate.Esp.Devices.Fakes.FakeTun GatewayTun { get; } = new("gw0");
    public PostureGate.Esp.Devices.Fakes.FakeTun ClientTun { get; } = new("cl0");
    public EspDataPlane Gateway { get; }
    public EspDataPlane Client { get; }

    public void Dispose()
    {
        Gateway.Dispose();
        Client.Dispose();
    }
}
