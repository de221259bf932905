// The UDP seam (wireguard-go conn.Bind): the one socket on the NAT-T port that carries
// ESP, IKE and keepalives (RFC 3948), in batches.
using System.Net;

namespace PostureGate.Esp.Devices;

public interface IPacketBind : IDisposable
{
    /// <summary>The local endpoint the socket is bound to.</summary>
    IPEndPoint LocalEndPoint { get; }

    /// <summary>
    /// Receives up to <paramref name="packets"/>.Length datagrams, each at Offset 0 of a buffer, setting
    /// Length and Remote. Waits until at least one arrives or <paramref name="cancellationToken"/> is
    /// cancelled (then returns 0).
    /// </summary>
    int Receive(Span<PacketBuffer> packets, CancellationToken cancellationToken);

    /// <summary>Sends each packet's Data to its Destination. Datagrams the network refuses are dropped.</summary>
    void Send(ReadOnlySpan<PacketBuffer> packets);

    /// <summary>Sends one datagram (control traffic: IKE, keepalives); may be called from any thread.</summary>
    void SendTo(ReadOnlySpan<byte> datagram, IPEndPoint destination);
}
