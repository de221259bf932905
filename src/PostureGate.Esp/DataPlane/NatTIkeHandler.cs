// RFC 3948 §2.2: an IKE message that arrived on the data plane's NAT-T socket behind the non-ESP
// marker, handed back to the control plane. (The gateway's own IKE sockets use
// Gateway.Net.IkeDatagramHandler, which also names the local endpoint.)
using System.Net;

namespace PostureGate.Esp;

/// <summary>An IKE message received on the shared NAT-T port, marker removed; the array is the receiver's to keep.</summary>
public delegate void NatTIkeHandler(byte[] message, IPEndPoint remote);
