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
