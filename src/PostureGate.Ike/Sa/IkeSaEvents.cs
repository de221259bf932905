// Events the manager raises (the gateway logs them and the posture enforcement follows them).
using System.Net;

namespace PostureGate.Ike.Sa;

public sealed record IkeSaEstablishedEvent(string Instance, string PeerConfigName, long Serial, IPEndPoint Peer,
    string PeerIdentity, string? EapIdentity, IPAddress? VirtualIp, bool Initiator);

public sealed record IkeSaDeletedEvent(string Instance, string PeerConfigName, long Serial, string Reason);

public sealed record ChildSaInstalledEvent(string Instance, string ChildName, uint InboundSpi, uint OutboundSpi, bool Rekey);

public sealed record ChildSaDeletedEvent(string Instance, string ChildName, uint InboundSpi, uint OutboundSpi, string Reason);
