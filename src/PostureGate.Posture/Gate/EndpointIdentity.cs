using System.Net;

namespace PostureGate.Posture;

/// <summary>Who the gate checks: the FortiClient UID if sent, and the endpoint's own address —
/// FORTICLIENT_CONNECT's IP=, else an ID_IPV4_ADDR IDi, else the packet's source address.</summary>
public readonly record struct EndpointIdentity(string? Uid, IPAddress Ip, string Origin)
{
    public uint? Ipv4 => Ipv4Address.TryToUInt32(Ip, out var v) ? v : null;

    public static EndpointIdentity From(PostureRequest request, FortiClientConnectInfo? info)
    {
        if (info?.Ip is { } ip)
            return new(info.Uid, Ipv4Address.Normalize(ip), "FORTICLIENT_CONNECT IP");
        if (request.IkeIdAddress is { } id)
            return new(info?.Uid, Ipv4Address.Normalize(id), "IKE ID");
        return new(info?.Uid, Ipv4Address.Normalize(request.Peer.Address), "source address");
    }
}
