// Which socket an outgoing IKE message leaves from (charon's sender picks the socket by the
// IKE SA's local address and port): the one bound to the SA's local port, on its address or on
// the wildcard. The data plane's ESP-in-UDP socket owns the NAT-T port where it runs (RFC 3948
// §2.2 puts IKE and ESP on one port), so data-plane routes are asked first.
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using PostureGate.Ike.Sa;

namespace PostureGate.Gateway.Net;

/// <summary>Sends one IKE message (no non-ESP marker) from a socket to <paramref name="remote"/>.</summary>
public delegate void IkeSocketSend(ReadOnlySpan<byte> ikeMessage, IPEndPoint remote);

public sealed class IkeSendRouter(ILogger log) : IIkeSender
{
    private readonly List<(IPEndPoint Local, IkeSocketSend Send)> _dataPlanes = [];
    private readonly List<(IPEndPoint Local, IkeSocketSend Send)> _sockets = [];

    /// <summary>A data plane's ESP-in-UDP socket; it carries the IKE of its NAT-T port.</summary>
    public void AddDataPlane(IPEndPoint local, IkeSocketSend send) => _dataPlanes.Add((local, send));

    /// <summary>One of the gateway's own IKE sockets (500, or 4500 where no data plane runs).</summary>
    public void AddSocket(IPEndPoint local, IkeSocketSend send) => _sockets.Add((local, send));

    public void Send(ReadOnlyMemory<byte> ikeMessage, IPEndPoint local, IPEndPoint remote)
    {
        if (TryFind(_dataPlanes, local, out var send) || TryFind(_sockets, local, out send))
        {
            try
            {
                send(ikeMessage.Span, remote);
            }
            catch (SocketException ex)
            {
                log.LogDebug("send to {Remote} failed: {Error}", remote, ex.SocketErrorCode);
            }
            return;
        }
        log.LogWarning("no socket for {Local}; message to {Remote} dropped", local, remote);
    }

    private static bool TryFind(List<(IPEndPoint Local, IkeSocketSend Send)> routes, IPEndPoint local, out IkeSocketSend send)
    {
        foreach (var (bound, s) in routes)
        {
            if (bound.Port == local.Port && (bound.Address.Equals(local.Address) || bound.Address.Equals(IPAddress.Any)))
            {
                send = s;
                return true;
            }
        }
        send = null!;
        return false;
    }
}
