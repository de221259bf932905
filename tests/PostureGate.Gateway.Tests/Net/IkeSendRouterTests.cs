// Which socket an outgoing IKE message leaves from.
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using PostureGate.Gateway.Net;

namespace PostureGate.Gateway.Tests.Net;

public class IkeSendRouterTests
{
    private static readonly IPEndPoint Peer = new(IPAddress.Parse("198.51.100.7"), 4500);
    private static readonly IPAddress Local = IPAddress.Parse("192.0.2.1");

    private readonly List<string> _sent = [];

    private IkeSocketSend Via(string name) => (_, _) => _sent.Add(name);

    [Fact]
    public void DataPlaneCarriesIkeOfItsNatTPort()
    {
        var router = new IkeSendRouter(NullLogger.Instance);
        router.AddSocket(new IPEndPoint(Local, 4500), Via("socket 4500"));
        router.AddSocket(new IPEndPoint(Local, 500), Via("socket 500"));
        router.AddDataPlane(new IPEndPoint(Local, 4500), Via("data plane"));

        router.Send(new byte[8], new IPEndPoint(Local, 4500), Peer);
        router.Send(new byte[8], new IPEndPoint(Local, 500), Peer);

        Assert.Equal(["data plane", "socket 500"], _sent);
    }

    [Fact]
    public void WildcardSocketServesEveryAddressOfItsPort()
    {
        var router = new IkeSendRouter(NullLogger.Instance);
        router.AddSocket(new IPEndPoint(IPAddress.Any, 500), Via("any 500"));

        router.Send(new byte[8], new IPEndPoint(Local, 500), Peer);
        router.Send(new byte[8], new IPEndPoint(Local, 4500), Peer);

        Assert.Equal(["any 500"], _sent);
    }

    [Fact]
    public void SocketErrorIsNotThrownToTheIkeLayer()
    {
        var router = new IkeSendRouter(NullLogger.Instance);
        router.AddSocket(new IPEndPoint(Local, 500), (_, _) => throw new SocketException((int)SocketError.NetworkUnreachable));

        Assert.Null(Record.Exception(() => router.Send(new byte[8], new IPEndPoint(Local, 500), Peer)));
    }
}
