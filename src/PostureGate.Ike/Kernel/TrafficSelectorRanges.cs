// RFC 7296 §3.13.1 traffic selectors as the data plane filters on them: the IKE layer's
// conversion into the floor's SelectorRange (which knows no IKE payload type).
using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Ike.Kernel;

public static class TrafficSelectorRanges
{
    extension(SelectorRange)
    {
        /// <summary>The IPv4 data-plane view of a negotiated selector; null for IPv6.</summary>
        public static SelectorRange? From(TrafficSelector ts) => ts.IsIpv6
            ? null
            : new SelectorRange((uint)ts.StartAddress, (uint)ts.EndAddress, ts.IpProtocol, ts.StartPort, ts.EndPort);
    }
}
