// How the state machine sends: the gateway owns the sockets (UDP 500 and 4500) and prepends
// the RFC 3948 non-ESP marker when the local port is the NAT-T one.
using System.Net;

namespace PostureGate.Ike.Sa;

public interface IIkeSender
{
    /// <summary>Sends one IKE message (no non-ESP marker) from <paramref name="local"/> to <paramref name="remote"/>.</summary>
    void Send(ReadOnlyMemory<byte> ikeMessage, IPEndPoint local, IPEndPoint remote);
}
