// A ZTNA tag as a FortiOS firewall dynamic address (`EMS<n>_ZTNA_<tag>`): the IPs and MACs it resolves to now.
using System.Net;

namespace PostureGate.Posture;

/// <summary>A tag as a firewall dynamic address: what it resolves to now.</summary>
public sealed record DynamicAddress(DynamicAddressName Name, int Id, IReadOnlyList<IPAddress> Addresses, IReadOnlyList<string> Macs);
