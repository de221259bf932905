// An established responder IKE SA as `diagnose vpn ike gateway list` sees it (IkeSaSnapshot), for the diagnose view tests.
using System.Net;
using PostureGate.Ike.Diagnostics;

namespace PostureGate.Gateway.Tests.Diagnose;

internal static class Snapshots
{
    public static IkeSaSnapshot Established(string name, string phase1, IPEndPoint local, IPEndPoint remote, DateTimeOffset created) => new()
    {
        Name = name,
        PeerConfigName = phase1,
        LocalEndpoint = local,
        RemoteEndpoint = remote,
        TunnelId = remote.Address,
        Created = created,
        IkeSa = default,
        IpsecSa = default,
        Serial = 3,
        InitiatorSpi = 0xdb9b0112a09c6850,
        ResponderSpi = 0xac673ffc75f4cdca,
        IsInitiator = false,
        Status = "established",
    };
}
